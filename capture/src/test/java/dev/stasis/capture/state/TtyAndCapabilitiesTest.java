package dev.stasis.capture.state;

import static dev.stasis.capture.EventParams.le32;
import static dev.stasis.capture.EventParams.le64;
import static dev.stasis.capture.EventParams.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.scap.EventTable;
import dev.stasis.capture.scap.ProcessEntry;
import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.ScapWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * proc.tty against sysdig 0.29.3 (golden/tty, from regen.sh), and the capability sets
 * sysdig 0.29.3 does not know: checked on captures written with the fields newer
 * drivers record (execve exit parameters 20..22, process list entries), against
 * libsinsp's rules (execve exit and process list set them, names of the set bits).
 */
class TtyAndCapabilitiesTest {
    private static final long CAP_CHOWN = 1L, CAP_KILL = 1L << 5, CAP_NET_RAW = 1L << 13, CAP_SYS_ADMIN = 1L << 21;

    static List<Path> captures() throws IOException {
        return CaptureFixtures.captures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void ttyMatchesSysdig(Path capture) throws IOException {
        Map<Long, String> golden = new HashMap<>();
        for (String line : CaptureFixtures.golden("tty", CaptureFixtures.name(capture))) {
            String[] f = line.split("\\|", -1);
            golden.put(Long.parseLong(f[0]), f[1]);
        }
        List<String> mismatches = new ArrayList<>();
        OutputFormat tty = OutputFormat.compile("%proc.tty");
        int[] compared = new int[1];
        try (CaptureReader r = CaptureReader.open(capture)) {
            r.forEachVisible(e -> {
                if (e.thread() == null) return;
                compared[0]++;
                String mine = tty.format(ScapEventView.of(e));
                if (!String.valueOf(golden.get(e.num())).equals(mine)) {
                    mismatches.add(e.num() + ": sysdig " + golden.get(e.num()) + " stasis " + mine);
                }
            });
        }
        assertThat(compared[0]).isEqualTo(golden.size());
        assertThat(mismatches).isEmpty();
    }

    @Test
    void runAsUserCaptureHasTheTerminalOnTheExecvedLs() throws IOException {
        Filter f = Filter.compile("proc.tty = 34816");
        List<Long> hits = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(CaptureFixtures.root()
                .resolve("testdata/captures/falco_run_as_user_0_container.scap"))) {
            r.forEachVisible(e -> {
                if (f.matches(ScapEventView.of(e))) hits.add(e.num());
            });
        }
        assertThat(hits).hasSize(191).startsWith(2183L); // sysdig: 191 events, the first the execve exit
    }

    @Test
    void capabilityNamesFollowLibsinsp() {
        assertThat(Capabilities.toString(0)).isEmpty();
        assertThat(Capabilities.toString(CAP_CHOWN | CAP_SYS_ADMIN)).isEqualTo("CAP_CHOWN CAP_SYS_ADMIN");
        assertThat(Capabilities.toString(1L << 40)).isEqualTo("CAP_CHECKPOINT_RESTORE");
        assertThat(Capabilities.toString(1L << 63)).isEmpty();
        assertThat(Capabilities.NAMES).hasSize(41);
    }

    @Test
    void processListAndExecveExitSetTtyAndCapabilities(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("caps.scap");
        ProcessEntry shell = new ProcessEntry(100, 100, 1, 100, 100, "bash", "bash", "/bin/bash", new byte[0], "/",
                1024, 0, 0, 0, 0, 0, 0, 0, 0, new byte[0], 100, 100, new byte[0], "/", 0, false, 0,
                0, CAP_CHOWN | CAP_KILL, CAP_CHOWN | CAP_KILL);
        try (OutputStream out = Files.newOutputStream(file); ScapWriter w = ScapWriter.create(out)) {
            w.writeMetadata(null, null, null, null, List.of(shell), null);
            w.writeEvent(RawEvent.of(1, 0, 1_000, 100, type("brk", true), le64(0)));
            w.writeEvent(execveExit(2, 100, 34817, CAP_NET_RAW, CAP_NET_RAW | CAP_SYS_ADMIN, CAP_SYS_ADMIN));
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            Event first = r.next();
            ThreadInfo t = first.thread();
            assertThat(t.capEffective()).isEqualTo(CAP_CHOWN | CAP_KILL);
            assertThat(t.capInheritable()).isZero();
            assertThat(t.tty()).isZero();
            assertThat(OutputFormat.compile("%thread.cap_effective|%thread.cap_inheritable")
                    .format(ScapEventView.of(first))).isEqualTo("CAP_CHOWN CAP_KILL|");

            Event exec = r.next();
            assertThat(exec.name()).isEqualTo("execve");
            assertThat(exec.thread().tty()).isEqualTo(34817);
            assertThat(exec.thread().capInheritable()).isEqualTo(CAP_NET_RAW);
            assertThat(exec.thread().capPermitted()).isEqualTo(CAP_NET_RAW | CAP_SYS_ADMIN);
            assertThat(exec.thread().capEffective()).isEqualTo(CAP_SYS_ADMIN);
            ScapEventView v = ScapEventView.of(exec);
            assertThat(Filter.compile("thread.cap_permitted contains CAP_SYS_ADMIN and proc.tty = 34817").matches(v))
                    .isTrue();
            assertThat(Filter.compile("thread.cap_effective contains CAP_NET_RAW").matches(v)).isFalse();
        }
    }

    private static int type(String name, boolean enter) {
        return EventTable.get().byName(name).stream().filter(i -> i.isEnter() == enter)
                .mapToInt(i -> i.type()).max().orElseThrow();
    }

    /** execve exit of the newest layout, with the parameters up to cap_effective (a shorter event is valid). */
    private static RawEvent execveExit(long num, long tid, int tty, long inh, long prm, long eff) {
        return RawEvent.of(num, 0, 2_000, tid, type("execve", false),
                le64(0), str("id"), str("id"), le64(tid), le64(tid), le64(1), str("/"), le64(1024), le64(0), le64(0),
                le32(0), le32(0), le32(0), str("id"), new byte[0], new byte[0], le32(tty), le64(tid), le32(0), le32(0),
                le64(inh), le64(prm), le64(eff));
    }
}
