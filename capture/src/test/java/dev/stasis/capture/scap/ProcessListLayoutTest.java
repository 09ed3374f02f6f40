package dev.stasis.capture.scap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Process list entries (version 9) in the two layouts libscap tells apart by the
 * bytes left after the root: at most 29 (loginuid, exe_writable, three capability
 * sets: libs before 0.10, and sysdig 0.29.3's own writer), or more, when libs 0.10
 * inserted pidns_init_start_ts and tty before loginuid (and appended exe fields).
 */
class ProcessListLayoutTest {

    @Test
    void olderLayoutHasCapabilitiesAfterExeWritable() {
        ByteBuffer tail = le(29).putInt(1000).put((byte) 1).putLong(0x1).putLong(0x3).putLong(0x2);
        ProcessEntry p = parse(tail);
        assertThat(p.loginuid()).isEqualTo(1000);
        assertThat(p.exeWritable()).isTrue();
        assertThat(p.tty()).isZero();
        assertThat(p.capInheritable()).isEqualTo(1);
        assertThat(p.capPermitted()).isEqualTo(3);
        assertThat(p.capEffective()).isEqualTo(2);
    }

    @Test
    void olderLayoutWithLoginuidOnly() {
        ProcessEntry p = parse(le(4).putInt(1000));
        assertThat(p.loginuid()).isEqualTo(1000);
        assertThat(p.capEffective()).isZero();
    }

    @Test
    void libs010LayoutHasPidnsStartAndTtyBeforeLoginuid() {
        ByteBuffer tail = le(8 + 4 + 4 + 1 + 24 + 1 + 24 + 1)
                .putLong(123456789L).putInt(34816).putInt(1000).put((byte) 0)
                .putLong(0).putLong(1L << 21).putLong(1L << 21)
                .put((byte) 1).putLong(42).putLong(7).putLong(8).put((byte) 0);
        ProcessEntry p = parse(tail);
        assertThat(p.tty()).isEqualTo(34816);
        assertThat(p.loginuid()).isEqualTo(1000);
        assertThat(p.exeWritable()).isFalse();
        assertThat(p.capPermitted()).isEqualTo(1L << 21);
        assertThat(p.capEffective()).isEqualTo(1L << 21);
    }

    private static ProcessEntry parse(ByteBuffer tail) {
        ByteBuffer e = le(4096);
        e.putInt(0); // sub length, set below
        e.putLong(10).putLong(10).putLong(1).putLong(10).putLong(10);
        str(e, "sh");
        str(e, "sh");
        str(e, "/bin/sh");
        str(e, "");
        str(e, "/");
        e.putLong(1024).putInt(0).putInt(0).putInt(0);
        e.putInt(1).putInt(2).putInt(3).putLong(4).putLong(5);
        str(e, "");
        e.putLong(10).putLong(10);
        str(e, "");
        str(e, "/");
        e.put(tail.array(), 0, tail.position());
        int len = e.position();
        e.putInt(0, len);
        byte[] body = java.util.Arrays.copyOf(e.array(), len);
        List<ProcessEntry> list = new MetadataParser(body, len, 0).processList(9);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).comm()).isEqualTo("sh");
        return list.get(0);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void str(ByteBuffer b, String s) {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) v.length).put(v);
    }
}
