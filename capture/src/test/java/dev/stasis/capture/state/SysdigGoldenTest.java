package dev.stasis.capture.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared capture read by stasis against sysdig 0.29.3's reading of it (golden
 * files made by src/test/resources/golden/regen.sh): the same events, numbered alike,
 * with the same default line (evt.num, time, cpu, proc.name, thread.tid, dir, type,
 * evt.args), and the same thread and fd state per event.
 */
class SysdigGoldenTest {

    static List<Path> captures() throws IOException {
        return CaptureFixtures.captures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void defaultOutputMatchesSysdig(Path capture) throws IOException {
        List<String> golden = CaptureFixtures.golden("default", CaptureFixtures.name(capture));
        List<String> ours = CaptureFixtures.defaultLines(capture);
        assertThat(ours).hasSameSizeAs(golden);
        for (int i = 0; i < golden.size(); i++) {
            assertThat(ours.get(i)).as("line %d of %s", i + 1, capture.getFileName()).isEqualTo(golden.get(i));
        }
    }

    /**
     * Columns of golden/fields: evt.num|evt.type|evt.dir|thread.tid|proc.pid|proc.ppid|proc.name|proc.exe|
     * proc.args|proc.cwd|user.uid|user.name|fd.num|fd.typechar|fd.name|...
     */
    @ParameterizedTest
    @MethodSource("captures")
    void threadAndFdStateMatchSysdig(Path capture) throws IOException {
        Map<Long, String[]> golden = new HashMap<>();
        for (String line : CaptureFixtures.golden("fields", CaptureFixtures.name(capture))) {
            String[] f = line.split("\\|", -1);
            golden.put(Long.parseLong(f[0]), f);
        }
        List<String> mismatches = new ArrayList<>();
        int[] compared = new int[1];
        try (CaptureReader r = CaptureReader.open(capture)) {
            r.forEachVisible(e -> {
                String[] g = golden.get(e.num());
                if (g == null) {
                    mismatches.add(e.num() + ": not printed by sysdig");
                    return;
                }
                compared[0]++;
                ThreadInfo t = e.thread();
                check(mismatches, e, "evt.type", g[1], e.name());
                check(mismatches, e, "thread.tid", g[3], Long.toString(e.tid()));
                check(mismatches, e, "proc.name", g[6], t == null ? "<NA>" : t.comm());
                if (t != null) {
                    check(mismatches, e, "proc.pid", g[4], Long.toString(t.pid()));
                    check(mismatches, e, "proc.exe", g[7], t.exe());
                    check(mismatches, e, "proc.args", g[8], t.argsString());
                    check(mismatches, e, "user.uid", g[10], Integer.toUnsignedString(t.uid()));
                }
                Long res = e.intParam("res");
                boolean failedConnect = e.name().equals("connect") && !e.isEnter() && res != null && res < 0;
                if (e.fd() != null && !failedConnect) { // sysdig's fd.name shows the tuple of a failed connect
                    // sysdig strips unprintable characters from field values
                    check(mismatches, e, "fd.name", g[14], Paths.sanitize(e.fd().name()));
                    check(mismatches, e, "fd.typechar", g[13], String.valueOf(e.fd().typeChar()));
                    check(mismatches, e, "fd.l4proto", g[15], e.fd().l4protoName());
                }
            });
        }
        assertThat(compared[0]).isEqualTo(golden.size());
        assertThat(mismatches).isEmpty();
    }

    private static void check(List<String> out, Event e, String field, String expected, String actual) {
        if (!expected.equals(actual)) {
            out.add(e.num() + " " + field + ": sysdig '" + expected + "' stasis '" + actual + "'");
        }
    }
}
