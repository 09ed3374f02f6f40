package dev.stasis.sandbox.run.record;

import dev.stasis.sandbox.run.Host;
import dev.stasis.sandbox.run.SandboxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The recorder of last resort: {@code strace -f -ttt -s 256 -o FILE -p PID...}, text output.
 * {@link #start} returns once strace says it attached to every pid, so nothing the processes do
 * after it returns is missed.
 */
public final class StraceRecorder implements Recorder {
    static boolean available() {
        return Host.has("strace");
    }

    @Override
    public String name() {
        return "strace";
    }

    @Override
    public String fileName() {
        return "syscalls.strace";
    }

    @Override
    public Recording start(List<Long> pids, Path output) {
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-ttt", "-s", "256", "-o", output.toString()));
        for (long p : pids) cmd.addAll(List.of("-p", String.valueOf(p)));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new SandboxException("cannot start strace: " + e.getMessage(), e);
        }
        AtomicInteger attached = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(1);
        StringBuilder err = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.contains("attached") && attached.incrementAndGet() >= pids.size()) all.countDown();
                    else if (err.length() < 2000) err.append(l).append('\n');
                }
            } catch (IOException ignored) {
                // strace ended
            }
            all.countDown();
        });
        try {
            if (!all.await(20, TimeUnit.SECONDS) || !p.isAlive()) {
                p.destroyForcibly();
                throw new SandboxException("strace did not attach to the restored processes: " + err.toString().strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while attaching strace");
        }
        Instant started = Instant.now();
        return new Recording() {
            private Summary summary;

            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public synchronized Summary stop() {
                if (summary != null) return summary;
                // SIGTERM: strace detaches from every tracee (they keep running) and flushes its output
                p.destroy();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long events = 0;
                java.util.Set<String> procs = new java.util.HashSet<>();
                try (Stream<String> lines = Files.lines(output, StandardCharsets.ISO_8859_1)) {
                    for (String l : (Iterable<String>) lines::iterator) {
                        events++;
                        int sp = l.indexOf(' ');
                        if (sp > 0) procs.add(l.substring(0, sp));
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // no output: nothing was recorded
                }
                summary = new Summary(events, procs.size(), Duration.between(started, Instant.now()), output, "strace");
                return summary;
            }
        };
    }
}
