package dev.stasis.sandbox.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host tools the sandbox drives (ip, iptables, podman, tcpdump, strace) with an
 * argument vector, never a shell, and a time limit, so a stuck tool cannot hang a run.
 */
public final class Host {
    /** What a finished command printed. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        /** The last non-blank line of stderr (or stdout): what a tool says when it fails. */
        public String lastLine() {
            String s = err.isBlank() ? out : err;
            String[] lines = s.strip().split("\n");
            return lines.length == 0 ? "" : lines[lines.length - 1].strip();
        }
    }

    private Host() {}

    public static Result run(List<String> command) {
        return run(command, 60);
    }

    public static Result run(List<String> command, int timeoutSeconds) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result(127, "", command.getFirst() + ": " + e.getMessage());
        }
        // drain both pipes on their own threads: a chatty tool must not block on a full pipe
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread to = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
        Thread te = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(124, "", String.join(" ", command) + ": timed out after " + timeoutSeconds + " s");
            }
            to.join(5000);
            te.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(130, "", "interrupted");
        }
        synchronized (out) {
            synchronized (err) {
                return new Result(p.exitValue(), out.toString(), err.toString());
            }
        }
    }

    /** Runs and fails with one line naming the step when the command fails. */
    public static Result must(String step, List<String> command) {
        Result r = run(command);
        if (!r.ok()) throw new SandboxException(step + " failed: " + r.lastLine());
        return r;
    }

    /** True when an executable of this name is on PATH (or in the sbin directories root uses). */
    public static boolean has(String tool) {
        return which(tool) != null;
    }

    public static Path which(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    public static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) return l.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The start time of a process (field 22 of /proc/PID/stat), to tell a pid from a later one with the same number. */
    public static long startTime(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void drain(InputStream in, StringBuilder sink) {
        try (in) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (sink) {
                    if (sink.length() < 4 << 20) sink.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException ignored) {
            // the process went away; what was read is kept
        }
    }
}
