package dev.stasis.capture.filter;

import static dev.stasis.capture.EventParams.le32;
import static dev.stasis.capture.EventParams.le64;
import static dev.stasis.capture.EventParams.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.ScapWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evt.is_open_exec (Falco's sandbox rule "Container Drift Detected (open+create)"): a capture of
 * open, old openat, openat, openat2 and creat events with and without O_CREAT/O_TMPFILE and
 * execute bits, read by sysdig 0.29.3 (ground truth) and by stasis. proc.is_vpgid_leader, which
 * sysdig 0.29.3 does not have, is checked against libsinsp's definition (vpgid == vpid).
 */
class OpenExecFieldTest {
    private static final int O_RDONLY = 1, O_WRONLY = 2, O_CREAT = 4, O_TMPFILE = 1 << 13;

    @Test
    void openExecAsSysdigReadsIt(@TempDir Path dir) throws Exception {
        assumeTrue(CaptureFixtures.sysdigInstalled(), "sysdig is the ground truth here");
        Path capture = dir.resolve("open-exec.scap");
        List<RawEvent> events = new ArrayList<>();
        long tid = 4242;
        // open< fd name flags mode dev
        events.add(ev(1, tid, 3, le64(3), str("/tmp/a"), le32(O_CREAT | O_WRONLY), le32(0100), le32(0)));
        events.add(ev(2, tid, 3, le64(3), str("/tmp/b"), le32(O_RDONLY), le32(0755), le32(0)));
        // old openat> dirfd name flags mode, then its exit
        events.add(ev(3, tid, 102, le64(-100), str("/tmp/c"), le32(O_CREAT | O_WRONLY), le32(0750)));
        events.add(ev(4, tid, 103, le64(4)));
        // openat< fd dirfd name flags mode dev
        events.add(ev(5, tid, 307, le64(5), le64(-100), str("/tmp/d.sh"), le32(O_CREAT | O_WRONLY), le32(0755), le32(0)));
        events.add(ev(6, tid, 307, le64(6), le64(-100), str("/tmp/e.txt"), le32(O_CREAT | O_WRONLY), le32(0644), le32(0)));
        events.add(ev(7, tid, 307, le64(7), le64(-100), str("/tmp/f"), le32(O_WRONLY), le32(0777), le32(0)));
        // openat2< fd dirfd name flags mode resolve
        events.add(ev(8, tid, 327, le64(8), le64(-100), str("/tmp"), le32(O_TMPFILE | O_WRONLY), le32(0001), le32(0)));
        events.add(ev(9, tid, 327, le64(9), le64(-100), str("/tmp"), le32(O_TMPFILE | O_WRONLY), le32(0600), le32(0)));
        // creat< fd name mode
        events.add(ev(10, tid, 59, le64(10), str("/tmp/g"), le32(0010)));
        events.add(ev(11, tid, 59, le64(11), str("/tmp/h"), le32(0600)));
        try (OutputStream os = Files.newOutputStream(capture); ScapWriter w = ScapWriter.create(os)) {
            w.writeMetadata(null, null, null, null, null, null);
            for (RawEvent e : events) w.writeEvent(e);
        }
        String format = "%evt.num %evt.type %evt.is_open_exec";
        List<String> expected = CaptureFixtures.sysdig(capture, "-p", format);
        assertThat(expected).hasSize(events.size());
        OutputFormat out = OutputFormat.compile(format);
        List<String> actual = new ArrayList<>();
        TestData.forEachEvent(capture, e -> actual.add(out.format(e)));
        assertThat(actual).containsExactlyElementsOf(expected);
        // The filter selects what sysdig selects.
        List<Long> selected = TestData.select(capture, Filter.compile("evt.is_open_exec=true"));
        List<Long> sysdigSelected = CaptureFixtures.sysdig(capture, "-p", "%evt.num", "evt.is_open_exec=true").stream()
                .map(Long::parseLong).toList();
        assertThat(sysdigSelected).isNotEmpty();
        assertThat(selected).isEqualTo(sysdigSelected);
    }

    @Test
    void vpgidLeader() {
        FakeEvent evt = new FakeEvent(); // FakeEvent: vpgid 1, vpid = tid
        assertThat(Filter.compile("proc.is_vpgid_leader=true").matches(evt)).isFalse();
        evt.thread.tid = 1;
        assertThat(Filter.compile("proc.is_vpgid_leader=true").matches(evt)).isTrue();
    }

    private static RawEvent ev(long num, long tid, int type, byte[]... params) {
        return RawEvent.of(num, 0, 1_700_000_000_000_000_000L + num * 1000, tid, type, params);
    }
}
