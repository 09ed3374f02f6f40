package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Malformed images fail with one-line ImageFormatExceptions that say where, never anything else. */
class HostileImageTest {
    private static final Map<String, byte[]> IRC = TestData.images(TestData.archive("irc-bot.tar.zst"));

    @Test
    void zeroLengthImage() {
        assertThatThrownBy(() -> ImageReader.read(new byte[0]))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("empty image");
    }

    @Test
    void rawPagesHaveNoMagic() {
        byte[] pages = IRC.get("pages-1.img");
        assertThatThrownBy(() -> ImageReader.read(pages))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("unknown image magic").hasMessageContaining("offset");
    }

    @Test
    void unknownMagicAfterCommonMagic() {
        byte[] b = le(0x54564319, 0x12345678);
        assertThatThrownBy(() -> ImageReader.read(b))
                .isInstanceOf(ImageFormatException.class).hasMessage(
                        "unknown image magic 0x12345678 at offset 4 (raw data such as pages-*.img has no magic)");
    }

    @Test
    void truncatedHeader() {
        assertThatThrownBy(() -> ImageReader.read(new byte[] {0x19, 0x43}))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("truncated image header");
        assertThatThrownBy(() -> ImageReader.read(le(0x54564319)))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("offset 4");
    }

    @Test
    void truncatedEntryNamesItsOffset() {
        byte[] core = IRC.get("core-1.img");
        byte[] cut = Arrays.copyOf(core, core.length - 10);
        assertThatThrownBy(() -> ImageReader.read(cut))
                .isInstanceOf(ImageFormatException.class)
                .hasMessage("truncated CORE image: entry 0 at offset 8 declares " + (core.length - 12)
                        + " bytes but only " + (core.length - 22) + " remain");
    }

    @Test
    void strayBytesAfterLastEntry() {
        byte[] fs = IRC.get("fs-1.img");
        byte[] longer = Arrays.copyOf(fs, fs.length + 2);
        assertThatThrownBy(() -> ImageReader.read(longer))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("2 stray bytes at offset " + fs.length);
    }

    @Test
    void lengthFarBeyondTheFile() {
        byte[] b = concat(le(0x54564319, 0x55053847), le(0x7ffffff0));
        assertThatThrownBy(() -> ImageReader.read(b))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("at offset 8").hasMessageContaining("limit");
        byte[] c = concat(le(0x54564319, 0x55053847), le(1000), new byte[10]);
        assertThatThrownBy(() -> ImageReader.read(c))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("declares 1000 bytes but only 10 remain");
        byte[] negative = concat(le(0x54564319, 0x55053847), le(-1));
        assertThatThrownBy(() -> ImageReader.read(negative)).isInstanceOf(ImageFormatException.class);
    }

    @Test
    void payloadLongerThanTheFile() {
        byte[] tcp = SyntheticImages.all().get("tcp-stream-1a2b.img");
        byte[] cut = Arrays.copyOf(tcp, tcp.length - 1);
        assertThatThrownBy(() -> ImageReader.read(cut))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("truncated TCP_STREAM image: payload");
    }

    @Test
    void invalidProtobuf() {
        // field 1, wire type 7 does not exist
        byte[] b = concat(le(0x54564319, 0x50273030), le(2), new byte[] {0x0f, 0x00});
        assertThatThrownBy(() -> ImageReader.read(b))
                .isInstanceOf(ImageFormatException.class).hasMessageStartingWith("invalid protobuf in PSTREE image entry 0 at offset 8");
    }

    @Test
    void aHugeDeclaredLengthCostsNoMemory() {
        // The stream claims 64 MiB but ends at once: the reader must fail, not allocate and wait.
        InputStream in = new ByteArrayInputStream(concat(le(0x54564319, 0x55053847), le(ImageWalker.MAX_ENTRY_BYTES)));
        assertThatThrownBy(() -> ImageReader.read(in)).isInstanceOf(ImageFormatException.class);
    }

    @Test
    void walkerStreamsOneEntryAtATime() {
        byte[] pagemap = IRC.get("pagemap-1.img");
        ImageWalker w = ImageReader.walk(new ByteArrayInputStream(pagemap));
        assertThat(w.type()).isEqualTo(ImageType.PAGEMAP);
        assertThat(w.offset()).isEqualTo(8);
        int n = 0;
        while (w.hasNext()) {
            w.next();
            n++;
        }
        assertThat(n).isEqualTo(ImageReader.read(pagemap).entries().size());
        assertThat(w.offset()).isEqualTo(pagemap.length);
    }

    @Test
    void directorySourceRefusesNamesOutsideIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.write(dir.resolve("pstree.img"), IRC.get("pstree.img"));
        java.nio.file.Files.createSymbolicLink(dir.resolve("link.img"), dir.resolve("pstree.img"));
        DirectoryImageSource src = new DirectoryImageSource(dir);
        assertThat(src.names()).containsExactly("pstree.img");
        assertThat(src.open("../pstree.img")).isEmpty();
        assertThat(src.open("link.img")).isEmpty();
        assertThat(src.size("pstree.img")).contains((long) IRC.get("pstree.img").length);
        assertThat(src.image("pstree.img").orElseThrow().type()).isEqualTo(ImageType.PSTREE);
    }

    static byte[] le(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) b.putInt(w);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
