package dev.stasis.capture.state;

/** Little-endian u64 from a byte array. */
final class Le64 {
private Le64() {}

    static long get(byte[] b, int off) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = v << 8 | (b[off + k] & 0xFF);
        }
        return v;
    }
}
