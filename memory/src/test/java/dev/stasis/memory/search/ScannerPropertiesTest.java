package dev.stasis.memory.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The SWAR scanners against the plainest possible search (compare at every offset): over a
 * small alphabet (letters of both cases, '@' and '`' which OR 0x20 confuses with letters, 0x00,
 * 0x01 and 0xff which provoke borrows) so that matches, near-misses and false candidates abound.
 */
class ScannerPropertiesTest {
    private static final byte[] ALPHABET = {'a', 'A', 'b', 'B', '@', '`', 0, 1, (byte) 0xff, 'z', 'Z', '['};

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.integers().between(0, ALPHABET.length - 1).array(int[].class).ofMinSize(0).ofMaxSize(300)
                .map(ix -> {
                    byte[] b = new byte[ix.length];
                    for (int i = 0; i < ix.length; i++) b[i] = ALPHABET[ix[i]];
                    return b;
                });
    }

    @Property(tries = 400)
    void literalFindsExactlyWhatAByteCompareFinds(@ForAll("bytes") byte[] data, @ForAll("bytes") byte[] pattern, @ForAll @IntRange(max = 7) int from) {
        if (pattern.length == 0 || pattern.length > 6) return;
        int start = Math.min(from, data.length);
        assertThat(found(data, start, (b, s) -> new LiteralScanner(pattern).scan(b, start, data.length, s)))
                .isEqualTo(naive(data, start, pattern, false));
    }

    @Property(tries = 400)
    void foldedFindsExactlyWhatAFoldedByteCompareFinds(@ForAll("bytes") byte[] data, @ForAll("bytes") byte[] pattern, @ForAll @IntRange(max = 7) int from) {
        if (pattern.length == 0 || pattern.length > 6) return;
        int start = Math.min(from, data.length);
        assertThat(found(data, start, (b, s) -> new FoldedScanner(pattern).scan(b, start, data.length, s)))
                .isEqualTo(naive(data, start, pattern, true));
    }

    private interface Scan {
        void run(ByteBuffer b, LiteralScanner.Sink sink);
    }

    private static List<Integer> found(byte[] data, int from, Scan scan) {
        List<Integer> out = new ArrayList<>();
        scan.run(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), off -> out.add(off));
        return out;
    }

    private static List<Integer> naive(byte[] data, int from, byte[] p, boolean fold) {
        List<Integer> out = new ArrayList<>();
        outer:
        for (int i = from; i + p.length <= data.length; i++) {
            for (int k = 0; k < p.length; k++) {
                byte a = data[i + k], b = p[k];
                if (fold) {
                    a = a >= 'A' && a <= 'Z' ? (byte) (a + 32) : a;
                    b = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
                }
                if (a != b) continue outer;
            }
            out.add(i);
        }
        return out;
    }
}
