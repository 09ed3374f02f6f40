package dev.stasis.sandbox.run.sinkhole;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sinkhole as the run starts it (its own JVM, the stdin/stdout protocol), here on this
 * machine's loopback instead of a cage: what a new connection (a bot that reconnects) is told,
 * and that the transcript holds every byte both ways.
 */
class SinkholeProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void playsTheIrcServerToABotThatReconnects() throws Exception {
        List<String> got = converse("irc", List.of("!exec id"), List.of("NICK kube-7f3a", "USER kube-7f3a 8 * :kube-7f3a", "JOIN #c2"), 3);
        assertThat(got.get(0)).contains("NOTICE");
        assertThat(got.get(1)).isEqualTo(":irc.sinkhole 001 kube-7f3a :Welcome kube-7f3a");
        assertThat(got.get(2)).isEqualTo(":op!op@c2 PRIVMSG #c2 :!exec id");
        List<JsonNode> t = transcript();
        assertThat(t).anySatisfy(n -> {
            assertThat(n.path("direction").asText()).isEqualTo("from_sandbox");
            assertThat(n.path("text").asText()).contains("JOIN #c2");
        });
        assertThat(t).anySatisfy(n -> {
            assertThat(n.path("direction").asText()).isEqualTo("to_sandbox");
            assertThat(n.path("hex").asText()).isEqualTo(java.util.HexFormat.of().formatHex(":op!op@c2 PRIVMSG #c2 :!exec id\r\n".getBytes(StandardCharsets.US_ASCII)));
        });
    }

    @Test
    void sendsTheAnalystsLinesOnceTheRunSaysGo() throws Exception {
        List<String> got = converse("send", List.of("uname -a", "id"), List.of("hello"), 2);
        assertThat(got).containsExactly("uname -a", "id");
        assertThat(transcript()).anySatisfy(n -> assertThat(n.path("text").asText()).isEqualTo("hello\r\n"));
    }

    private List<String> converse(String mode, List<String> stimulus, List<String> say, int expect) throws Exception {
        int tcp = freePort();
        int relay = freePort();
        int dns = freePort();
        SinkholeConfig c = new SinkholeConfig(tmp.resolve("t.jsonl").toString(), "127.0.0.1", tcp, relay, List.of(), mode,
                "#c2", "kube-7f3a", mode.equals("irc") ? stimulus : List.of(), mode.equals("send") ? stimulus : List.of(), 50,
                tmp.resolve("none.py").toString(), "python3", dns);
        Path config = tmp.resolve("sinkhole.json");
        JSON.writeValue(config.toFile(), c);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                SinkholeMain.class.getName(), config.toString()).redirectError(tmp.resolve("err.log").toFile()).start();
        try {
            BufferedReader ctl = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(ctl.readLine()).isEqualTo("ready");
            List<String> got = new ArrayList<>();
            try (Socket s = new Socket("127.0.0.1", tcp)) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                if (mode.equals("irc")) got.add(in.readLine()); // the server's greeting comes first
                p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
                for (String l : say) out.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (got.size() < expect) got.add(in.readLine().replace("\r", ""));
            }
            // the transcript is written as bytes arrive: wait for what was said before stopping
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end && !Files.readString(tmp.resolve("t.jsonl")).contains(say.getLast().split(" ")[0])) Thread.sleep(20);
            p.getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return got;
        } finally {
            p.destroyForcibly();
        }
    }

    private List<JsonNode> transcript() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(tmp.resolve("t.jsonl"))) out.add(JSON.readTree(l));
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
