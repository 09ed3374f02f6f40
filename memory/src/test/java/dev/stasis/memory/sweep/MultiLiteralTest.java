package dev.stasis.memory.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The matcher against the plainest possible oracle: every position, every literal, compared byte by
 * byte. Buffers are small-alphabet random bytes so literals occur often, including overlapping
 * each other, at the edges of the scanned range and at the limit.
 */
class MultiLiteralTest {
    private static List<String> naive(byte[] b, int from, int to, int limit, List<byte[]> lits) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (int k = 0; k < lits.size(); k++) {
                byte[] l = lits.get(k);
                if (i + l.length > limit) continue;
                boolean same = true;
                for (int j = 0; j < l.length && same; j++) same = b[i + j] == l[j];
                if (same) out.add(i + ":" + k);
            }
        }
        return out;
    }

    private static List<String> found(byte[] b, int from, int to, int limit, List<byte[]> lits) {
        List<String> out = new ArrayList<>();
        new MultiLiteral(lits).scan(b, from, to, limit, (k, at) -> out.add(at + ":" + k));
        return out;
    }

    @Test
    void findsWhatAByteByByteComparisonFinds() {
        Random r = new Random(18);
        for (int round = 0; round < 3000; round++) {
            int alphabet = 2 + r.nextInt(4);
            boolean longOnly = r.nextBoolean();          // every literal >= 3 bytes: the skipping scan
            List<byte[]> lits = new ArrayList<>();
            for (int n = 1 + r.nextInt(6); n > 0; n--) {
                byte[] l = new byte[(longOnly ? 3 : 1) + r.nextInt(5)];
                for (int j = 0; j < l.length; j++) l[j] = (byte) ('a' + r.nextInt(alphabet));
                lits.add(l);
            }
            byte[] b = new byte[1 + r.nextInt(200)];
            for (int j = 0; j < b.length; j++) b[j] = (byte) ('a' + r.nextInt(alphabet));
            int limit = 1 + r.nextInt(b.length);
            int from = r.nextInt(limit), to = from + r.nextInt(limit - from + 1);
            assertThat(found(b, from, to, limit, lits)).as("round %d", round).isEqualTo(naive(b, from, to, limit, lits));
        }
    }

    @Test
    void theSweepsOwnLiteralsInBinaryData() {
        List<byte[]> lits = new ArrayList<>();
        for (String s : List.of("eyJ", "AKIA", "://", "NICK ", "eyJhbGciOi", "stratum+", "-----BEGIN ")) lits.add(s.getBytes(StandardCharsets.ISO_8859_1));
        Random r = new Random(7);
        byte[] b = new byte[1 << 16];
        r.nextBytes(b);
        int[] at = {0, 16, 23, 40, 57, 4093, 30000, 65536 - 11};
        String[] put = {"eyJhbGciOi", "://", "AKIA", "NICK ", "stratum+", "-----BEGIN ", "eyJ", "eyJhbGciOi"};
        for (int i = 0; i < at.length; i++) System.arraycopy(put[i].getBytes(StandardCharsets.ISO_8859_1), 0, b, at[i], put[i].length());
        assertThat(found(b, 0, b.length, b.length, lits)).isEqualTo(naive(b, 0, b.length, b.length, lits)).contains("0:0", "0:4", "16:2", "23:1", "4093:6", "65525:0", "65525:4");
    }
}
