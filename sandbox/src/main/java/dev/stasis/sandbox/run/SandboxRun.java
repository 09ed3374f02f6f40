package dev.stasis.sandbox.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.criu.TcpStreamState;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.ProcessTree;
import dev.stasis.sandbox.run.cage.Cage;
import dev.stasis.sandbox.run.cage.CagePlan;
import dev.stasis.sandbox.run.cage.PodmanRestore;
import dev.stasis.sandbox.run.cage.RestoreArchive;
import dev.stasis.sandbox.run.record.PacketCapture;
import dev.stasis.sandbox.run.record.Recorder;
import dev.stasis.sandbox.run.record.StraceRecorder;
import dev.stasis.sandbox.run.report.Behaviour;
import dev.stasis.sandbox.run.report.DynamicReport;
import dev.stasis.sandbox.run.report.ScapActivity;
import dev.stasis.sandbox.run.report.StraceLog;
import dev.stasis.sandbox.run.report.TranscriptSummary;
import dev.stasis.sandbox.run.sinkhole.SinkholeConfig;
import dev.stasis.sandbox.run.sinkhole.SinkholeMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code stasis sandbox run}: restores a checkpoint into the network cage, lets the sinkhole talk
 * to it, records what it does, and removes everything afterwards. The order matters and is the
 * safety argument:
 * <ol>
 * <li>everything is checked that can be checked without creating anything (root, tools, the
 *     archive, its base image, the original container not present);</li>
 * <li>the cleanup manifest is written before anything is created;</li>
 * <li>the cage is built and verified from the kernel's view: a failed check stops the run
 *     before anything is restored;</li>
 * <li>sinkhole (with its takeovers of restored connections) and tcpdump start before the restore,
 *     so the first packet is seen; the recorder attaches before the stimulus is sent;</li>
 * <li>whatever happens (time limit, Ctrl-C, an error), the finally block removes container,
 *     namespaces and helpers; a kill -9 leaves the manifest for the next run or
 *     {@code stasis sandbox cleanup}.</li>
 * </ol>
 */
public final class SandboxRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HELPER = "dev/stasis/sandbox/run/sinkhole/tcp_takeover.py";
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final StateDir state;

    public SandboxRun(StateDir state) {
        this.state = state;
    }

    /** Ends the run early (Ctrl-C); returns once everything is cleaned up, or after the timeout. */
    public void requestStopAndWait(Duration timeout) {
        stop.countDown();
        try {
            finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The tools a run needs, missing ones first: an empty list means all are there. */
    public static List<String> missingTools(boolean takeover) {
        List<String> missing = new ArrayList<>();
        for (String t : List.of("podman", "runc", "criu", "ip", "iptables", "tcpdump", "sysctl")) {
            if (!Host.has(t)) missing.add(t);
        }
        Recorder.missing().ifPresent(missing::add);
        if (takeover && python() == null) missing.add("python3");
        return missing;
    }

    public RunResult run(RunRequest req, Consumer<String> log) {
        try {
            return doRun(req, log);
        } finally {
            finished.countDown();
        }
    }

    private RunResult doRun(RunRequest req, Consumer<String> log) {
        if (!Host.isRoot()) throw new SandboxException("sandbox run must run as root (network namespaces, CRIU restore)");
        List<String> missing = missingTools(false);
        if (!missing.isEmpty()) throw new SandboxException("sandbox run needs " + String.join(", ", missing) + ", not found on PATH");
        if (!Files.isRegularFile(req.archive()) && !Files.isDirectory(req.archive())) {
            throw new SandboxException("no such archive: " + req.archive());
        }
        int leftovers = state.removeLeftovers(log);
        if (leftovers > 0) log.accept("removed " + leftovers + " leftover(s) of earlier runs");

        // 1. everything that can be known before creating anything
        List<String> warnings = new ArrayList<>();
        Container container;
        CagePlan plan;
        ObjectNode config;
        List<TcpStreamState> streams = new ArrayList<>();
        try (Checkpoint cp = Checkpoint.open(req.archive())) {
            container = cp.container();
            if (container.engine() != dev.stasis.checkpoint.model.Engine.PODMAN && container.engine() != dev.stasis.checkpoint.model.Engine.CRIO) {
                throw new SandboxException("only Podman and CRI-O/kubelet checkpoint archives restore in the sandbox so far (this one is "
                        + container.engine().display() + ")");
            }
            config = RestoreArchive.config(cp.archive());
            ProcessTree tree = cp.processes(false);
            plan = CagePlan.of(container, tree);
            for (CagePlan.Connection c : plan.connections()) {
                streams.add(TcpStreamState.read(cp.archive().images(), c.inode())
                        .orElseThrow(() -> new SandboxException("the checkpoint holds no TCP state for " + c.describe()
                                + " (tcp-stream image missing): it was not made with --tcp-established")));
            }
            warnings.addAll(cp.warnings());
        } catch (CheckpointException e) {
            throw new SandboxException("cannot read " + req.archive() + ": " + e.getMessage(), e);
        }
        boolean tcp = req.tcpEstablished().orElse(plan.hasEstablishedTcp());
        if (plan.hasEstablishedTcp() && !tcp) {
            throw new SandboxException("the checkpoint holds established TCP connections (" + plan.connections().getFirst().describe()
                    + "); podman 4.3 cannot restore them closed, so --no-tcp-established is not possible here");
        }
        if (tcp && plan.hasEstablishedTcp() && python() == null) {
            throw new SandboxException("taking over established connections needs python3 (TCP repair helper), not found");
        }
        String imageName = config.path("rootfsImageName").asText("");
        String imageId = "";
        for (String ref : RestoreArchive.imageCandidates(config)) {
            Host.Result r = Host.run(List.of("podman", "image", "inspect", "--format", "{{.Id}}", ref));
            if (r.ok() && r.out().strip().matches("[0-9a-f]{64}")) {
                imageId = r.out().strip();
                break;
            }
        }
        if (imageId.isEmpty()) {
            String wanted = config.path("rootfsImageID").asText("");
            throw new SandboxException("the archive's base image " + (imageName.isEmpty() ? "" : imageName + " ") + "(id "
                    + (wanted.length() > 12 ? wanted.substring(0, 12) : String.join(", ", RestoreArchive.imageCandidates(config)))
                    + ") is not in podman's storage; load or build that exact image first");
        }
        // podman's import pulls the image by name if that name is unknown here: give it a local name of the same image
        Host.Result tags = Host.run(List.of("podman", "image", "inspect", "--format", "{{join .RepoTags \",\"}}", imageId));
        List<String> local = tags.ok() ? List.of(tags.out().strip().split(",")) : List.of();
        if (!local.contains(imageName)) imageName = local.isEmpty() || local.getFirst().isBlank() ? imageId : local.getFirst();
        String originalId = config.path("id").asText();
        if (Host.run(List.of("podman", "container", "exists", originalId)).ok()) {
            throw new SandboxException("the container " + originalId.substring(0, Math.min(12, originalId.length()))
                    + " still exists in podman (a restore reuses its id); remove it or restore on another machine");
        }
        List<String> replay = List.of();
        SinkholeConfigBuilder sb = new SinkholeConfigBuilder(req, plan, streams);
        if (req.stimulus() instanceof Stimulus.ReplayIrc) {
            log.accept("recovering the IRC operator's commands (analyze)");
            IrcReplay irc = IrcReplay.fromAnalysis(req.archive());
            replay = irc.commands();
            sb.irc(irc);
        } else if (req.stimulus() instanceof Stimulus.Send s) {
            try {
                replay = Files.readAllLines(s.file(), StandardCharsets.UTF_8).stream().filter(l -> !l.isEmpty()).toList();
            } catch (IOException e) {
                throw new SandboxException("cannot read --send " + s.file() + ": " + e.getMessage());
            }
            sb.lines(replay);
        }

        String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Path runDir = (req.runDir() != null ? req.runDir() : Path.of("stasis-sandbox-" + runId)).toAbsolutePath();
        try {
            if (Files.isDirectory(runDir)) {
                try (Stream<Path> s = Files.list(runDir)) {
                    if (s.findAny().isPresent()) throw new SandboxException("the run directory " + runDir + " is not empty");
                }
            }
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new SandboxException("cannot create the run directory " + runDir + ": " + e.getMessage());
        }

        // 2. the manifest first, then the things it names
        RunManifest manifest = RunManifest.plan(runId, runDir.toString());
        state.write(manifest);
        List<String> cleanup = new ArrayList<>();
        Cage cage = new Cage(runId, plan);
        Process sinkhole = null;
        PacketCapture pcap = null;
        Recorder.Recording recording = null;
        Recorder recorder = Recorder.best();
        Recorder.Summary recorded = null;
        PodmanRestore.Stats stats = null;
        List<Long> pids = List.of();
        RestoreArchive.Rewrite rewrite;
        Instant started = Instant.now();
        Path transcript = runDir.resolve("transcript.jsonl");
        Path pcapFile = runDir.resolve("network.pcap");
        Path recordingFile = runDir.resolve(recorder.fileName());
        try {
            List<CagePlan.Connection> takeovers = tcp ? plan.connections() : List.of();
            log.accept("building the cage: " + plan.address() + "/" + plan.prefix() + " via " + plan.gateway()
                    + ", sinkhole owns " + String.join(", ", plan.peers()));
            cage.create(takeovers);
            cage.verify();
            log.accept("isolation verified: the container namespace's only link leads to the sinkhole namespace");

            try (Checkpoint cp = Checkpoint.open(req.archive())) {
                rewrite = RestoreArchive.write(cp.archive(), runDir.resolve("restore.tar"), manifest.container(), cage.containerNetnsPath(),
                        plan.gateway(), runDir.resolve("empty-mounts"), req.limits(), imageId, imageName);
            }
            if (!rewrite.seccomp()) warnings.add("the original container ran without a seccomp profile; the restored processes keep theirs (none)");
            for (String m : rewrite.replacedMounts()) warnings.add("bind mount " + m + " replaced by an empty stand-in");

            Path helper = runDir.resolve("tcp_takeover.py");
            try (InputStream in = SandboxRun.class.getClassLoader().getResourceAsStream(HELPER)) {
                if (in == null) throw new SandboxException("the TCP repair helper is missing from the class path");
                Files.copy(in, helper);
            }
            Path configFile = runDir.resolve("sinkhole.json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), sb.build(transcript, helper));
            sinkhole = startSinkhole(cage.sinkNetns(), configFile, runDir.resolve("sinkhole.log"));
            manifest = manifest.withChild("sinkhole", sinkhole.pid());
            state.write(manifest);
            awaitReady(sinkhole, runDir.resolve("sinkhole.log"));
            log.accept("sinkhole ready" + (takeovers.isEmpty() ? "" : ", took over " + takeovers.stream().map(CagePlan.Connection::describe).toList()));

            pcap = PacketCapture.start(cage.sinkNetns(), cage.sinkLink(), pcapFile);
            manifest = manifest.withChild("tcpdump", pcap.pid());
            state.write(manifest);

            log.accept("restoring " + manifest.container() + (tcp ? " with its established connections" : ""));
            stats = PodmanRestore.restore(rewrite.archive(), tcp);
            log.accept("restored in " + stats.wallTime().toMillis() + " ms");
            pids = PodmanRestore.pids(manifest.container());
            try {
                recording = recorder.start(pids, recordingFile);
            } catch (SandboxException e) {
                if (recorder instanceof StraceRecorder) throw e;
                // the recorder of last resort: plain strace text, still every exec, connect and open
                warnings.add(recorder.name() + " failed (" + e.getMessage() + "); recorded with plain strace instead");
                log.accept(warnings.getLast());
                recorder = new StraceRecorder();
                recordingFile = runDir.resolve(recorder.fileName());
                recording = recorder.start(pids, recordingFile);
            }
            manifest = manifest.withChild(recorder.name(), recording.pid());
            state.write(manifest);
            log.accept("recording " + pids.size() + " process(es) with " + recorder.name());
            sendLine(sinkhole, "go");
            long init = pids.getFirst();
            long deadline = System.nanoTime() + req.duration().toNanos();
            while (System.nanoTime() < deadline) {
                if (stop.await(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                    log.accept("stopping (interrupted)");
                    break;
                }
                if (ProcessHandle.of(init).isEmpty()) {
                    log.accept("the restored container exited");
                    break;
                }
            }
        } catch (IOException e) {
            throw new SandboxException("sandbox run failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted");
        } finally {
            if (recording != null) recorded = recording.stop();
            if (sinkhole != null) stopSinkhole(sinkhole);
            if (pcap != null) pcap.close();
            Cleaner.remove(manifest, cleanup::add);
            state.delete(runId);
            // the restore copy holds the checkpoint's memory (secrets included): podman has imported it, and a
            // second copy of the evidence must not linger in a working directory
            try {
                Files.deleteIfExists(runDir.resolve("restore.tar"));
            } catch (IOException e) {
                cleanup.add("could not remove " + runDir.resolve("restore.tar") + ": " + e.getMessage());
            }
        }
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        DynamicReport.Activity activity = recordingFile.toString().endsWith(".scap") ? ScapActivity.read(recordingFile) : StraceLog.read(recordingFile);
        DynamicReport.Sinkhole seen = TranscriptSummary.read(transcript);
        DynamicReport report = new DynamicReport(activity, seen, Behaviour.findings(activity, seen, replay));
        RunResult result = new RunResult(runId, req.archive().toString(), runDir.toString(), manifest.container(), plan.address(), plan.peers(),
                true, tcp, tcp ? plan.connections().stream().map(CagePlan.Connection::describe).toList() : List.of(),
                rewrite.replacedMounts(), stats.wallTime().toMillis(), stats.podmanStats(), pids, replay, recorder.name(),
                new RunResult.Output(recordingFile.toString(), size(recordingFile), recorded == null ? 0 : recorded.events(), null),
                new RunResult.Output(pcapFile.toString(), size(pcapFile), packets(pcapFile), null),
                new RunResult.Output(transcript.toString(), size(transcript), seen.transcriptLines(), null),
                seconds, report, cleanup, warnings);
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("run.json").toFile(), result);
        } catch (IOException e) {
            warnings.add("could not write run.json: " + e.getMessage());
        }
        return result;
    }

    private static Process startSinkhole(String netns, Path config, Path logFile) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of("ip", "netns", "exec", netns, java, "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), SinkholeMain.class.getName(), config.toString());
        return new ProcessBuilder(cmd).redirectError(logFile.toFile()).start();
    }

    private static void awaitReady(Process sinkhole, Path logFile) throws IOException, InterruptedException {
        BufferedReader r = new BufferedReader(new InputStreamReader(sinkhole.getInputStream(), StandardCharsets.UTF_8));
        CountDownLatch answered = new CountDownLatch(1);
        boolean[] ready = new boolean[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                ready[0] = "ready".equals(r.readLine());
            } catch (IOException ignored) {
                // the sinkhole died: not ready
            }
            answered.countDown();
        });
        if (!answered.await(60, TimeUnit.SECONDS) || !ready[0]) {
            t.interrupt();
            sinkhole.waitFor(2, TimeUnit.SECONDS);
            String why = Files.exists(logFile) ? Files.readAllLines(logFile).stream().filter(l -> !l.isBlank())
                    .filter(l -> l.contains("Exception") || l.contains("failed")).findFirst().orElse("") : "";
            throw new SandboxException("the sinkhole did not start" + (why.isEmpty() ? "" : ": " + why.replaceFirst("^Exception in thread \"main\" [\\w.]+: ", "").strip()));
        }
    }

    private static void sendLine(Process p, String line) {
        try {
            OutputStream os = p.getOutputStream();
            os.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            os.flush();
        } catch (IOException e) {
            throw new SandboxException("the sinkhole went away: " + e.getMessage());
        }
    }

    private static void stopSinkhole(Process p) {
        try {
            sendLine(p, "stop");
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String python() {
        Path system = Path.of("/usr/bin/python3");
        if (Files.isExecutable(system)) return system.toString();
        Path p = Host.which("python3");
        return p == null ? null : p.toString();
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Packets in the pcap, as tcpdump itself reads them back. */
    private static long packets(Path pcap) {
        if (!Files.exists(pcap)) return 0;
        Host.Result r = Host.run(List.of("tcpdump", "-n", "-r", pcap.toString()));
        return r.ok() ? r.out().lines().count() : 0;
    }

    /** Builds the sinkhole's configuration from the plan and the stimulus. */
    private static final class SinkholeConfigBuilder {
        private final RunRequest req;
        private final CagePlan plan;
        private final List<TcpStreamState> streams;
        private String stimulus = "none";
        private IrcReplay irc;
        private List<String> lines = List.of();

        SinkholeConfigBuilder(RunRequest req, CagePlan plan, List<TcpStreamState> streams) {
            this.req = req;
            this.plan = plan;
            this.streams = streams;
        }

        void irc(IrcReplay r) {
            stimulus = "irc";
            irc = r;
        }

        void lines(List<String> l) {
            stimulus = "send";
            lines = l;
        }

        SinkholeConfig build(Path transcript, Path helper) {
            List<SinkholeConfig.Takeover> t = new ArrayList<>();
            boolean tcp = req.tcpEstablished().orElse(plan.hasEstablishedTcp());
            if (tcp) {
                for (int i = 0; i < plan.connections().size(); i++) {
                    CagePlan.Connection c = plan.connections().get(i);
                    TcpStreamState s = streams.get(i);
                    // the sinkhole is the other end: it sends what the restored socket expects next, and expects
                    // what the restored socket will (re)send from its first unacknowledged byte; scales and windows swap
                    t.add(new SinkholeConfig.Takeover(c.remoteIp(), c.remotePort(), c.localIp(), c.localPort(), s.inqSeq(),
                            s.sendUnacknowledged(), s.rcvWscale(), s.sndWscale(), s.mssClamp(), (s.optMask() & 1) != 0,
                            s.rcvWnd(), s.sndWnd()));
                }
            }
            return new SinkholeConfig(transcript.toString(), plan.gateway(), Cage.SINK_PORT, 3, t, stimulus,
                    irc == null ? null : irc.channel(), irc == null ? null : irc.nick(), irc == null ? List.of() : irc.commands(),
                    lines, req.interval().toMillis(), helper.toString(), python(), 53);
        }
    }
}
