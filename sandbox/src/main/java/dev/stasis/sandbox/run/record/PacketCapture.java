package dev.stasis.sandbox.run.record;

import dev.stasis.sandbox.run.SandboxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump on the sinkhole's end of the veth pair, inside the sink namespace: every packet the
 * restored container sends or receives passes there, since it is the cage's only link.
 * Returns from {@link #start} once tcpdump listens.
 */
public final class PacketCapture implements AutoCloseable {
    private final Process process;

    private PacketCapture(Process process) {
        this.process = process;
    }

    public static PacketCapture start(String netns, String device, Path pcap) {
        Process p;
        try {
            p = new ProcessBuilder(List.of("ip", "netns", "exec", netns, "tcpdump", "-i", device, "-n", "-U", "-s", "0",
                    "-w", pcap.toString())).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new SandboxException("cannot start tcpdump: " + e.getMessage(), e);
        }
        CountDownLatch listening = new CountDownLatch(1);
        StringBuilder err = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.contains("listening on")) listening.countDown();
                    else if (err.length() < 2000) err.append(l).append('\n');
                }
            } catch (IOException ignored) {
                // tcpdump ended
            }
            listening.countDown();
        });
        try {
            if (!listening.await(15, TimeUnit.SECONDS) || !p.isAlive()) {
                p.destroyForcibly();
                throw new SandboxException("tcpdump did not start on " + device + ": " + err.toString().strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while starting tcpdump");
        }
        return new PacketCapture(p);
    }

    public long pid() {
        return process.pid();
    }

    /** Stops tcpdump with SIGTERM, which makes it flush and close the pcap. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
