package dev.stasis.cli.sandbox;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.cli.support.DurationConverter;
import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.Json;
import dev.stasis.evidence.Vault;
import dev.stasis.sandbox.run.RunRequest;
import dev.stasis.sandbox.run.RunResult;
import dev.stasis.sandbox.run.RunStore;
import dev.stasis.sandbox.run.SandboxRun;
import dev.stasis.sandbox.run.StateDir;
import dev.stasis.sandbox.run.Stimulus;
import dev.stasis.sandbox.run.cage.RestoreArchive;
import dev.stasis.sandbox.run.report.DynamicReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stasis sandbox run}: restore a checkpoint in a network cage with a sinkhole, and watch it. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Restore a checkpoint (Podman or CRI-O/kubelet archive) in a cage and record what it does (root, podman + runc + CRIU).",
        "The container keeps its original IP in a network namespace whose only link leads to a sinkhole namespace",
        "that owns the gateway and every peer the checkpoint's sockets name: no route out, checked before the restore.",
        "The sinkhole answers DNS with itself, accepts TCP on any port, takes over established connections",
        "(TCP repair, sequence numbers from the checkpoint) and logs every byte. CPU, memory and pids are capped,",
        "host bind mounts are replaced by empty directories, and everything is removed at the end, after Ctrl-C,",
        "and (via the state in /run/stasis/sandbox) after a kill: see also 'stasis sandbox cleanup'.",
        "Results in the run directory: syscalls.scap (or .strace), network.pcap, transcript.jsonl, run.json.",
        "",
        "Examples:",
        "  stasis sandbox run irc-bot.tar.zst --replay-irc --duration 30s",
        "  stasis sandbox run 3f2a9c --send commands.txt --duration 5m --store",
        "  stasis sandbox run checkpoint.tar.zst -o ./run1 --format json"})
final class SandboxRunCommand implements Callable<Integer> {
    @Mixin
    SandboxSource source;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "5m", converter = DurationConverter.class,
            description = "how long the restored container runs: 90s, 5m, 1h (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--tcp-established", negatable = true,
            description = "restore established TCP connections with the sinkhole as their peer (default: when the checkpoint has any)")
    Boolean tcpEstablished;

    @ArgGroup(exclusive = true)
    StimulusOptions stimulus;

    static final class StimulusOptions {
        @Option(names = "--replay-irc", description = "replay to the bot the IRC operator commands analyze recovered from memory")
        boolean replayIrc;

        @Option(names = "--send", paramLabel = "FILE", description = "send the lines of FILE on every connection")
        Path send;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "run directory (default: ./stasis-sandbox-RUNID; must be empty)")
    Path output;

    @Option(names = "--memory", paramLabel = "MiB", defaultValue = "1024", description = "memory limit (default: ${DEFAULT-VALUE})")
    long memoryMib;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "CPU limit (default: ${DEFAULT-VALUE})")
    double cpus;

    @Option(names = "--pids", paramLabel = "N", defaultValue = "512", description = "process limit (default: ${DEFAULT-VALUE})")
    long pids;

    @Option(names = "--store", description = "store the recordings in the vault, linked to the checkpoint's item (default for a vault item)")
    boolean store;

    @Mixin FormatOption format = FormatOption.of("output format (default: ${DEFAULT-VALUE})", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() {
        boolean json = format.json();
        if (memoryMib < 64 || cpus <= 0 || pids < 8) throw new IllegalArgumentException("--memory >= 64, --cpus > 0 and --pids >= 8, please");
        Stimulus s = stimulus == null ? new Stimulus.None()
                : stimulus.replayIrc ? new Stimulus.ReplayIrc() : new Stimulus.Send(stimulus.send);
        try (SandboxInput in = source.open()) {
            RunRequest req = new RunRequest(in.path, duration, Optional.ofNullable(tcpEstablished), s, output,
                    new RestoreArchive.Limits(memoryMib << 20, Math.round(cpus * 100_000), 100_000, pids), Duration.ofMillis(1500));
            SandboxRun run = new SandboxRun(StateDir.standard());
            // Ctrl-C ends the run early; the hook waits until the run has removed what it created
            java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
            Thread hook = new Thread(() -> {
                run.requestStopAndWait(Duration.ofSeconds(90));
                try {
                    reported.await(20, java.util.concurrent.TimeUnit.SECONDS); // let the summary (and --store) finish
                } catch (InterruptedException ignored) {
                    // shutting down anyway
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            RunResult r;
            try {
                r = run.run(req, line -> System.err.println("sandbox: " + line));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // already shutting down: the hook is running
                }
            }
            try {
                if (store || in.item != null) {
                    try (Vault v = source.vault.open()) {
                        // the reason as given: the store's own record already names the run
                        r = RunStore.store(v, source.vault.actor(), r, in.item, source.reason);
                    }
                }
                if (json) Json.print(Json.document("sandbox-run", 1, r));
                else print(r);
                System.out.flush();
            } finally {
                reported.countDown();
            }
        }
        return 0;
    }

    private static void print(RunResult r) {
        System.out.println("run " + r.runId() + ": " + r.container() + " restored in " + r.restoreMillis() + " ms, ran " + r.durationSeconds() + " s");
        System.out.println("cage:        " + r.address() + " -> sinkhole " + String.join(", ", r.sinkholeAddresses()) + " (isolation verified)");
        for (String t : r.takenOver()) System.out.println("taken over:  " + t);
        if (!r.stimulus().isEmpty()) System.out.println("sent:        " + String.join(" | ", r.stimulus()));
        System.out.println("processes:   " + r.restoredPids().size() + " restored");
        System.out.println("recording:   " + r.recording().path() + " (" + r.recording().count() + " events, " + r.recorder() + ")" + vault(r.recording()));
        System.out.println("pcap:        " + r.pcap().path() + " (" + r.pcap().count() + " packets)" + vault(r.pcap()));
        System.out.println("transcript:  " + r.transcript().path() + " (" + r.transcript().count() + " lines)" + vault(r.transcript()));
        DynamicReport rep = r.report();
        System.out.println("execs:       " + rep.activity().execs().size());
        for (DynamicReport.Exec e : rep.activity().execs()) System.out.println("  " + e.pid() + "  " + String.join(" ", e.argv()) + "  (" + e.path() + ")");
        System.out.println("connections: " + rep.activity().connections().size());
        for (DynamicReport.Connection c : rep.activity().connections()) System.out.println("  " + c.pid() + "  " + c.address() + ":" + c.port() + "  " + c.result());
        System.out.println("files written: " + rep.activity().filesWritten().size());
        for (DynamicReport.FileWrite f : rep.activity().filesWritten().stream().limit(30).toList()) System.out.println("  " + f.pid() + "  " + f.path());
        DynamicReport.Sinkhole sk = rep.sinkhole();
        System.out.println("sinkhole:    " + sk.flows().size() + " flow(s), " + sk.bytesFromSandbox() + " bytes from the sandbox, "
                + sk.bytesToSandbox() + " to it, " + sk.dnsQueries().size() + " DNS queries");
        for (String l : sk.linesFromSandbox().stream().limit(30).toList()) System.out.println("  < " + l);
        for (DynamicReport.Finding f : rep.findings()) {
            System.out.println("finding:     " + f.id() + " " + f.title() + " [" + String.join(", ", f.techniques()) + "]");
        }
        for (String w : r.warnings()) System.out.println("warning:     " + w);
        System.out.println("removed:     " + (r.cleanup().isEmpty() ? "nothing to remove" : String.join("; ", r.cleanup())));
    }

    private static String vault(RunResult.Output o) {
        return o.vaultId() == null ? "" : ", vault " + o.vaultId().substring(0, 12);
    }
}
