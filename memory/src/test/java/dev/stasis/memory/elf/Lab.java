package dev.stasis.memory.elf;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The avxlab checkpoint (src/test/resources/.../elf/avxlab, see its README): AVX registers and a rootfs-diff binary. */
final class Lab {
    static final int PID = 1, THREAD = 7;

    private Lab() {}

    static Path file(String name) {
        try {
            return Path.of(Lab.class.getResource("avxlab/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource avxlab/" + name + " is missing", e);
        }
    }

    static Path archive() {
        return file("avxlab.tar.zst");
    }

    /** The value avxlab.c puts in 32-bit lane {@code lane} of ymm{@code reg} of thread {@code tid}. */
    static long lane(int tid, int reg, int lane) {
        return (tid == PID ? 0xa0000000L : 0xb0000000L) | (long) reg << 8 | lane;
    }
}
