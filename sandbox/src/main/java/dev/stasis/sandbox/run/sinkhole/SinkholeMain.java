package dev.stasis.sandbox.run.sinkhole;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sinkhole process, started by the run inside the cage's sink network namespace
 * ({@code ip netns exec stasis-sbx-ID-sink java ... SinkholeMain CONFIG}), so every socket it
 * opens lives in the cage. It answers DNS, accepts every (redirected) TCP connection, starts the
 * repair helper for each restored connection it takes over, and logs everything to the
 * transcript. Protocol with the run, on stdin/stdout: it prints "ready" once listening and
 * every takeover is in place; "go" on stdin starts the stimulus; "stop" or end of input ends it.
 */
public final class SinkholeMain {
    private SinkholeMain() {}

    public static void main(String[] args) throws Exception {
        SinkholeConfig config = new ObjectMapper().readValue(Path.of(args[0]).toFile(), SinkholeConfig.class);
        List<Process> helpers = new ArrayList<>();
        try (Transcript transcript = new Transcript(Path.of(config.transcript()));
             ServerSocket tcp = new ServerSocket();
             ServerSocket relay = new ServerSocket();
             DatagramSocket dns = new DatagramSocket(new InetSocketAddress("0.0.0.0", config.dnsPort() == 0 ? 53 : config.dnsPort()))) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress("0.0.0.0", config.tcpPort()), 64);
            relay.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.relayPort()), 16);
            Operator operator = new Operator(config);
            Thread.ofPlatform().daemon().start(new Dns(dns, InetAddress.getByName(config.address()), transcript));
            Thread.ofPlatform().daemon().start(() -> accept(tcp, transcript, operator, false));
            Thread.ofPlatform().daemon().start(() -> accept(relay, transcript, operator, true));
            for (SinkholeConfig.Takeover t : config.takeovers()) {
                helpers.add(takeover(config, t, transcript));
            }
            System.out.println("ready");
            System.out.flush();
            BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String l; (l = control.readLine()) != null; ) {
                if (l.strip().equals("go")) operator.go();
                if (l.strip().equals("stop")) break;
            }
        } finally {
            for (Process p : helpers) p.destroyForcibly();
        }
        System.exit(0);
    }

    private static Process takeover(SinkholeConfig c, SinkholeConfig.Takeover t, Transcript transcript) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(c.python(), "-I", c.helper(), t.localIp(), String.valueOf(t.localPort()), t.remoteIp(),
                String.valueOf(t.remotePort()), String.valueOf(t.sendSeq()), String.valueOf(t.recvSeq()), String.valueOf(c.relayPort()),
                String.valueOf(t.sndWscale()), String.valueOf(t.rcvWscale()), String.valueOf(t.mss()), t.timestamps() ? "1" : "0",
                String.valueOf(t.sndWnd()), String.valueOf(t.rcvWnd()))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        String flow = t.remoteIp() + ":" + t.remotePort() + "->" + t.localIp() + ":" + t.localPort();
        if (!"ready".equals(first)) {
            p.waitFor(2, TimeUnit.SECONDS);
            String rest = first == null ? "" : first + "\n" + String.join("\n", out.lines().limit(40).toList());
            transcript.event(flow, "takeover failed: " + rest.strip().replace("\n", " | "));
            throw new IOException("the takeover of " + flow + " failed: " + lastLine(rest));
        }
        transcript.event(flow, "taken over (repaired socket, send seq " + t.sendSeq() + ", receive seq " + t.recvSeq() + ")");
        return p;
    }

    private static String lastLine(String s) {
        String[] l = s.strip().split("\n");
        return l[l.length - 1];
    }

    private static void accept(ServerSocket server, Transcript transcript, Operator operator, boolean takeover) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s, transcript, operator, takeover));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s, Transcript transcript, Operator operator, boolean takeover) {
        try {
            String name;
            if (takeover) {
                // header from the repair helper: "TAKEOVER container_ip:port sinkhole_ip:port"
                String[] h = header(s.getInputStream()).split(" ");
                name = h[1] + "->" + h[2];
            } else {
                name = s.getInetAddress().getHostAddress() + ":" + s.getPort() + "->" + s.getLocalAddress().getHostAddress() + ":any";
                transcript.event(name, "accepted (redirected to the sinkhole)");
            }
            Flow f = new Flow(name, s, transcript, takeover);
            operator.opened(f);
            f.pump(operator::line);
        } catch (IOException | RuntimeException e) {
            transcript.event("?", "connection failed: " + e.getMessage());
        }
    }

    private static String header(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != -1 && c != '\n' && b.size() < 200; ) b.write(c);
        String h = b.toString(StandardCharsets.US_ASCII);
        if (!h.startsWith("TAKEOVER ") || h.split(" ").length != 3) throw new IOException("bad takeover header");
        return h;
    }
}
