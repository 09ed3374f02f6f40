package dev.stasis.capture.scap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian integer reads and writes on byte arrays (one bounds-checked load each). */
final class Le {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Le() {}

    static int u16(byte[] b, int off) {
        return (short) I16.get(b, off) & 0xFFFF;
    }

    static int i32(byte[] b, int off) {
        return (int) I32.get(b, off);
    }

    static long u32(byte[] b, int off) {
        return i32(b, off) & 0xFFFFFFFFL;
    }

    static long u64(byte[] b, int off) {
        return (long) I64.get(b, off);
    }

    static void put16(byte[] b, int off, int v) {
        I16.set(b, off, (short) v);
    }

    static void put32(byte[] b, int off, int v) {
        I32.set(b, off, v);
    }

    static void put64(byte[] b, int off, long v) {
        I64.set(b, off, v);
    }
}
