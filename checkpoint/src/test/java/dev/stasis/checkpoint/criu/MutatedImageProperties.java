package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Real images, damaged: bit flips, truncation, corrupted entry lengths. The
 * decoder (reader plus crit JSON, plain and pretty) either succeeds or
 * throws ImageFormatException; nothing else escapes, nothing hangs.
 */
class MutatedImageProperties {
    private static final List<byte[]> IMAGES = load();

    private static List<byte[]> load() {
        List<byte[]> out = new ArrayList<>();
        for (var archive : List.of("irc-bot.tar.zst", "fileless-miner.tar.gz", "benign-web.tar.zst")) {
            for (Map.Entry<String, byte[]> e : TestData.images(TestData.archive(archive)).entrySet()) {
                boolean pb = ImageType.byFileName(e.getKey()).map(t -> !t.isRaw()).orElse(false);
                // keep the set small but varied: every image below 64 KiB (pages are raw)
                if (pb && e.getValue().length < 65536) out.add(e.getValue());
            }
        }
        out.addAll(SyntheticImages.all().values());
        return out;
    }

    @Provide
    Arbitrary<byte[]> image() {
        return Arbitraries.of(IMAGES);
    }

    @Property(tries = 400)
    void bitFlips(@ForAll("image") byte[] image, @ForAll("positions") List<Integer> positions) {
        byte[] b = image.clone();
        for (int p : positions) b[Math.floorMod(p, b.length * 8) / 8] ^= (byte) (1 << (p & 7));
        decodeOrFormatError(b);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 300)
    void truncation(@ForAll("image") byte[] image, @ForAll("fraction") double keep) {
        byte[] b = java.util.Arrays.copyOf(image, (int) (image.length * keep));
        decodeOrFormatError(b);
    }

    @Provide
    Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Property(tries = 300)
    void corruptedLengthField(@ForAll("image") byte[] image, @ForAll("lengths") Tuple.Tuple2<Integer, Integer> damage) {
        byte[] b = image.clone();
        // find the entry length words by walking the valid image, then overwrite one
        List<Integer> lengthOffsets = lengthOffsets(image);
        if (lengthOffsets.isEmpty()) return;
        int at = lengthOffsets.get(Math.floorMod(damage.get1(), lengthOffsets.size()));
        int v = damage.get2();
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
        decodeOrFormatError(b);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Integer, Integer>> lengths() {
        return Arbitraries.integers().between(0, 1000).flatMap(i -> Arbitraries.oneOf(
                Arbitraries.integers(), Arbitraries.integers().between(0, 300),
                Arbitraries.of(-1, 0, Integer.MAX_VALUE, ImageWalker.MAX_ENTRY_BYTES, ImageWalker.MAX_ENTRY_BYTES + 1))
                .map(v -> Tuple.of(i, v)));
    }

    private static List<Integer> lengthOffsets(byte[] image) {
        List<Integer> out = new ArrayList<>();
        int at = (image[0] == 0x16 && image[1] == 0x31) ? 4 : 8; // inventory has one magic word
        while (at + 4 <= image.length) {
            out.add(at);
            int len = (image[at] & 0xff) | (image[at + 1] & 0xff) << 8 | (image[at + 2] & 0xff) << 16 | (image[at + 3] & 0xff) << 24;
            if (len < 0) break;
            at += 4 + len; // extra payloads make later guesses land anywhere; any offset is a fine target
        }
        return out;
    }

    private static void decodeOrFormatError(byte[] b) {
        try {
            CriuImage img = ImageReader.read(b);
            assertThat(CritJson.decodeToString(img, false)).startsWith("{\"magic\": ");
            assertThat(CritShow.show(img, false)).startsWith("{");
            CritShow.show(img, true);
        } catch (ImageFormatException expected) {
            assertThat(expected.getMessage()).doesNotContain("\n").isNotBlank();
        }
    }
}
