package dev.stasis.capture.scap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Damaged captures: a one-line error naming the block offset, or the block skipped with a warning. */
class ScapReaderRobustnessTest {

    private static byte[] capture() throws IOException {
        return CaptureFixtures.plain(CaptureFixtures.root().resolve("testdata/captures/falco_syscall.scap"));
    }

    /** Block offsets found by walking the lengths (independent of the reader under test). */
    private static List<Integer> blockOffsets(byte[] b) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + 8 <= b.length; off += bb.getInt(off + 4)) {
            out.add(off);
        }
        return out;
    }

    private static long countEvents(InputStream in) throws IOException {
        try (ScapReader r = ScapReader.open(in)) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            return n;
        }
    }

    @Test
    void plainAndGzipReadAlike() throws IOException {
        byte[] plain = capture();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        assertThat(countEvents(new ByteArrayInputStream(plain)))
                .isEqualTo(countEvents(new ByteArrayInputStream(gz.toByteArray())))
                .isEqualTo(368); // event blocks of falco_syscall.scap; sysdig numbers its last printed event 368
    }

    @Test
    void truncatedEventBlockNamesItsOffset() throws IOException {
        byte[] b = capture();
        List<Integer> blocks = blockOffsets(b);
        int last = blocks.get(blocks.size() - 1);
        byte[] cut = java.util.Arrays.copyOf(b, last + 20);
        assertThatThrownBy(() -> countEvents(new ByteArrayInputStream(cut)))
                .isInstanceOf(ScapFormatException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("offset " + last)
                .satisfies(e -> assertThat(((ScapFormatException) e).offset()).isEqualTo(last));
    }

    @Test
    void lyingMetadataLengthIsRefusedWithoutAllocating() throws IOException {
        byte[] b = capture();
        int second = blockOffsets(b).get(1);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(second + 4, 0x7FFFFFF0);
        assertThatThrownBy(() -> countEvents(new ByteArrayInputStream(b)))
                .isInstanceOf(ScapFormatException.class)
                .hasMessageContaining("offset " + second);
    }

    @Test
    void lyingTrailerIsReported() throws IOException {
        byte[] b = capture();
        List<Integer> blocks = blockOffsets(b);
        int second = blocks.get(1);
        int len = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(second + 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(second + len - 4, len + 4);
        assertThatThrownBy(() -> countEvents(new ByteArrayInputStream(b)))
                .isInstanceOf(ScapFormatException.class)
                .hasMessageContaining("trailer");
    }

    @Test
    void unknownBlockIsSkippedWithAWarning() throws IOException {
        byte[] b = capture();
        int second = blockOffsets(b).get(1);
        ByteBuffer unknown = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        unknown.putInt(0x999).putInt(20).putInt(1).putInt(2).putInt(20);
        byte[] patched = new byte[b.length + 20];
        System.arraycopy(b, 0, patched, 0, second);
        System.arraycopy(unknown.array(), 0, patched, second, 20);
        System.arraycopy(b, second, patched, second + 20, b.length - second);
        try (ScapReader r = ScapReader.open(new ByteArrayInputStream(patched))) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(368);
            assertThat(r.warnings()).anyMatch(w -> w.contains("0x999") && w.contains("offset " + second));
        }
    }

    @Test
    void eventTypeBeyondTheTableIsSkipped() throws IOException {
        byte[] b = capture();
        List<Integer> blocks = blockOffsets(b);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int firstEvent = -1;
        for (int off : blocks) {
            if (bb.getInt(off) == BlockType.EVENT) {
                firstEvent = off;
                break;
            }
        }
        // V1 event header after block header and cpu: ts(8) tid(8) len(4) type(2)
        bb.putShort(firstEvent + 8 + 2 + 20, (short) 9999);
        try (ScapReader r = ScapReader.open(new ByteArrayInputStream(b))) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(367);
            assertThat(r.skippedUnknownEvents()).isEqualTo(1);
            assertThat(r.warnings()).anyMatch(w -> w.contains("9999"));
        }
    }

    @Test
    void gzipBombOfZerosFailsOnTheFirstBlock() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        }
        assertThatThrownBy(() -> countEvents(new ByteArrayInputStream(gz.toByteArray())))
                .isInstanceOf(ScapFormatException.class)
                .hasMessageContaining("not a scap capture");
    }

    @Test
    void gzipBombBehindAValidHeaderIsBoundedByTheBlockLimit() throws IOException {
        byte[] b = capture();
        int second = blockOffsets(b).get(1);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(b, 0, second);
            ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0x202).putInt(1 << 30);
            out.write(h.array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 16; i++) {
                out.write(zeros);
            }
        }
        assertThatThrownBy(() -> countEvents(new ByteArrayInputStream(gz.toByteArray())))
                .isInstanceOf(ScapFormatException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void notAScapFile() {
        assertThatThrownBy(() -> countEvents(new ByteArrayInputStream("hello world, not a capture".getBytes())))
                .isInstanceOf(ScapFormatException.class)
                .hasMessageContaining("not a scap capture");
        assertThatThrownBy(() -> countEvents(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(ScapFormatException.class);
    }

    /** Reads everything through the state engine and renders every event, as the commands do. */
    static long readAll(byte[] data) throws IOException {
        long n = 0;
        try (ScapReader s = ScapReader.open(new ByteArrayInputStream(data)); CaptureReader r = CaptureReader.open(s)) {
            for (Event e; (e = r.next()) != null; n++) {
                e.defaultLine();
            }
        }
        return n;
    }

    @Test
    void everySharedCaptureSurvivesTheStateEngine() throws IOException {
        for (Path p : CaptureFixtures.captures()) {
            assertThat(readAll(CaptureFixtures.plain(p))).isPositive();
        }
    }
}
