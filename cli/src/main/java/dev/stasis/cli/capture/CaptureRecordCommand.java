package dev.stasis.cli.capture;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.cli.support.DurationConverter;
import dev.stasis.capture.record.RecordException;
import dev.stasis.capture.record.RecordRequest;
import dev.stasis.capture.record.Recording;
import dev.stasis.capture.record.RecordingSummary;
import dev.stasis.capture.record.SyscallRecorder;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.Terminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stasis capture record}: records a process tree into a .scap file with
 * strace, no kernel driver needed. Runs in its own JVM (never the background one):
 * it traces processes and waits for Ctrl-C.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {
            "Record what a process tree does into a .scap capture, without a kernel driver: strace follows every "
                    + "thread and descendant (and whatever they start), and its output is converted to the events "
                    + "sysdig's driver writes. Read the result with 'stasis capture events' or 'sysdig -r'.",
            "Timestamps have strace's resolution: microseconds. Stops on Ctrl-C, at the end of --duration, or when "
                    + "every recorded process has exited; the processes keep running after it detaches."})
public final class CaptureRecordCommand implements Callable<Integer> {
    static final class Target {
        @Option(names = "--container", paramLabel = "ID|NAME",
                description = "record the container's processes (podman: the tree of its init process; "
                        + "later 'podman exec' sessions are not in it)")
        String container;

        @Option(names = "--pid", paramLabel = "PID", arity = "1..*", split = ",",
                description = "record these processes, their threads and descendants")
        List<Long> pids;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = {"-w", "--write"}, required = true, paramLabel = "OUT.scap", description = "capture file to write")
    Path output;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "stop after this long (30s, 5m, 1h, 500ms); default: until Ctrl-C or the processes exit")
    Duration duration;

    @Option(names = {"-s", "--snaplen"}, defaultValue = "80", paramLabel = "N",
            description = "bytes of read/write/send/recv data kept per event, as sysdig -s (default: ${DEFAULT-VALUE})")
    int snaplen;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "also record the target's network namespace with tcpdump into FILE")
    Path pcap;

    @Mixin FormatOption format = FormatOption.of("text or json (the summary)", OutputFormat.TEXT, OutputFormat.JSON);

    private final Object printLock = new Object();
    private boolean printed;

    @Override
    public Integer call() throws Exception {
        boolean json = format.json(); // an unknown --format fails before any work
        if (snaplen < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--snaplen must not be negative");
        }
        List<Long> pids = target.pids != null ? target.pids : containerPids(target.container);
        Recording rec = SyscallRecorder.start(new RecordRequest(pids, output, snaplen, Optional.ofNullable(pcap)));
        Thread hook = new Thread(() -> finish(rec, true), "stasis-record-stop");
        Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: detach, finish the file, print the summary
        boolean tty = Terminal.interactive();
        System.err.println("recording " + (target.container != null ? "container " + target.container : "pid " + join(pids))
                + " with strace into " + output + " (timestamps in microseconds)"
                + (duration != null ? " for " + human(duration) : "") + "; Ctrl-C stops");
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0 || rec.await(Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1))))) {
                break;
            }
            if (tty) {
                System.err.print("\r" + rec.events() + " events");
                System.err.flush();
            }
        }
        if (tty) {
            System.err.print("\r");
        }
        finish(rec, false);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: it printed the summary
        }
        return 0;
    }

    /** Stops the recording and prints the summary once (the main thread or the Ctrl-C hook, whichever comes first). */
    private void finish(Recording rec, boolean fromHook) {
        synchronized (printLock) {
            if (printed) {
                return;
            }
            printed = true;
            RecordingSummary s;
            try {
                s = rec.stop();
            } catch (RecordException e) {
                if (!fromHook) {
                    throw e; // the command's error handler prints it
                }
                System.err.println("stasis: " + e.getMessage());
                System.err.flush();
                return;
            }
            if (format.json()) {
                Map<String, Object> m = Json.document("capture-record", 1);
                m.put("output", s.output().toString());
                m.put("recorder", "strace");
                m.put("timestamp_resolution", "us");
                m.put("events", s.events());
                m.put("processes", s.processes());
                m.put("duration_seconds", s.duration().toNanos() / 1e9);
                m.put("snaplen", snaplen);
                m.put("pcap", s.pcap().map(Path::toString).orElse(null));
                Json.print(m);
            } else {
                System.out.printf("recorded %d events from %d processes in %.1f s into %s (strace, microsecond timestamps)%s%n",
                        s.events(), s.processes(), s.duration().toNanos() / 1e9, s.output(),
                        s.pcap().map(p -> "; network in " + p).orElse(""));
            }
            System.out.flush();
        }
    }

    /**
     * The host pid of a podman container's init process, as a list for the request.
     * Sessions started later with {@code podman exec} are not its descendants (podman
     * starts them through a conmon of their own), so they are not recorded.
     */
    static List<Long> containerPids(String container) throws IOException, InterruptedException {
        if (container.isBlank() || container.startsWith("-")) {
            throw new RecordException("not a container name: '" + container + "'");
        }
        Process p;
        try {
            p = new ProcessBuilder("podman", "inspect", "--type", "container", "--format",
                    "{{.State.Pid}}", container)
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RecordException("--container needs podman, which is not installed");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new RecordException("no such container: " + container);
        }
        long pid;
        try {
            pid = Long.parseLong(out.lines().reduce((a, b) -> b).orElse("").strip());
        } catch (NumberFormatException e) {
            throw new RecordException("podman inspect " + container + " gave no pid: " + out.lines().findFirst().orElse(""));
        }
        if (pid <= 0) {
            throw new RecordException("container " + container + " is not running");
        }
        return List.of(pid);
    }

    private static String join(List<Long> pids) {
        return String.join(",", pids.stream().map(String::valueOf).toList());
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
