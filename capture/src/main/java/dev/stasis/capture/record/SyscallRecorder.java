package dev.stasis.capture.record;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Records what process trees do into a .scap file without a kernel driver, by
 * driving strace ({@code -f -p}: every thread and descendant, and whatever they
 * start while recording) and converting its output to the scap events sysdig's
 * driver writes. Timestamps have strace's resolution: microseconds.
 * <pre>
 * try (Recording r = SyscallRecorder.start(new RecordRequest(List.of(pid), Path.of("out.scap")))) {
 *     ... let the processes run ...
 *     RecordingSummary s = r.stop();   // detaches; the processes keep running
 * }
 * </pre>
 * The file appears complete when the recording stops (it is written beside it and
 * renamed), and is removed if the recording fails.
 */
public final class SyscallRecorder {
    private SyscallRecorder() {}

    /** The recorder this machine uses ("strace"), or null if none is installed. */
    public static String available() {
        return findExecutable("strace") != null ? "strace" : null;
    }

    /**
     * Attaches to the processes and starts writing; returns once every thread is
     * attached, so nothing the processes do after this call is missed.
     *
     * @throws RecordException with a one-line reason: no such process, not permitted
     *     to trace it, strace missing, output not writable
     */
    public static Recording start(RecordRequest request) {
        Path strace = findExecutable("strace");
        if (strace == null) {
            throw new RecordException("strace is not installed (it records without a kernel driver: apt-get install strace)");
        }
        Path tcpdump = null;
        Path nsenter = null;
        if (request.pcap().isPresent()) {
            tcpdump = findExecutable("tcpdump");
            nsenter = findExecutable("nsenter");
            if (tcpdump == null || nsenter == null) {
                throw new RecordException("--pcap needs tcpdump and nsenter (apt-get install tcpdump util-linux)");
            }
        }
        long self = ProcessHandle.current().pid();
        for (long pid : request.pids()) {
            if (pid <= 0 || !Files.isDirectory(Path.of("/proc/" + pid))) {
                throw new RecordException("no such process: " + pid);
            }
            if (pid == self) {
                throw new RecordException("refusing to record stasis itself (pid " + pid + ")");
            }
        }
        return Recording.start(request, strace, tcpdump, nsenter);
    }

    static Path findExecutable(String name) {
        String path = System.getenv("PATH");
        if (path == null || path.isEmpty()) {
            path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
