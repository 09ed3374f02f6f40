package dev.stasis.memory.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MemoryException;
import dev.stasis.memory.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A ghost-file image is evidence like any other: a truncated or corrupted one must give a
 * one-line MemoryException naming the image (and no core file), never another exception or a
 * core with made-up bytes.
 */
class DamagedGhostFileTest {
    private static final String GHOST = "ghost-file-1.img";
    private static final Map<String, byte[]> IMAGES = Fixtures.images("fileless-miner.tar.gz");

    @Property(tries = 60)
    void aTruncatedGhostImageIsAOneLineErrorAndNoCore(@ForAll @IntRange(min = 0, max = 43999) int keep) throws IOException {
        byte[] ghost = IMAGES.get(GHOST);
        int cut = keep % ghost.length;   // every length short of the whole image...
        // ...but one: cut right after the ghost_file_entry (8 bytes of magic, its u32 length, the entry),
        // the image is a whole one of a file with no data chunks, a sparse file to CRIU (crit decodes
        // this image as that entry and one chunk: it has no other boundary)
        int entryEnd = 8 + 4 + ByteBuffer.wrap(ghost, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        Assume.that(cut != entryEnd);
        Path dir = Files.createTempDirectory("ghost");
        try {
            Path core = dir.resolve("core.18");
            Throwable t = catchThrowable(() -> CoreDumpWriter.write(load(Arrays.copyOf(ghost, cut)), 18, core));
            assertThat(t).isInstanceOf(MemoryException.class);
            assertThat(t.getMessage()).contains(GHOST).doesNotContain("\n");
            assertThat(core).doesNotExist();
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    @Property(tries = 60)
    void aCorruptedGhostImageNeverFailsWithAnythingButAMemoryException(@ForAll @IntRange(min = 0, max = 200) int at, @ForAll byte value)
            throws IOException {
        byte[] ghost = IMAGES.get(GHOST).clone();
        ghost[at] = value;   // the magic, the headers and the start of the data
        Path dir = Files.createTempDirectory("ghost");
        try {
            Throwable t = catchThrowable(() -> CoreDumpWriter.write(load(ghost), 18, dir.resolve("core.18")));
            if (t != null) assertThat(t).isInstanceOf(MemoryException.class).message().contains(GHOST).doesNotContain("\n");
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    private static CheckpointMemory load(byte[] ghost) {
        Map<String, byte[]> images = new TreeMap<>(IMAGES);
        images.put(GHOST, ghost);
        return CheckpointMemory.load(Fixtures.source(images));
    }
}
