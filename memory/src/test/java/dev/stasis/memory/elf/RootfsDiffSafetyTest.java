package dev.stasis.memory.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.luben.zstd.ZstdInputStream;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MappedFiles;
import dev.stasis.memory.MemoryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rootfs-diff.tar is only trusted for a mapped file when it can be the same file: a copy whose
 * size differs from what CRIU recorded is not used (the pages stay zero, with the reason), and
 * a damaged diff is a one-line error that leaves no core behind. The lab checkpoint is unpacked
 * into a directory (a form CheckpointArchive reads) and its diff replaced.
 */
class RootfsDiffSafetyTest {
    @Test
    void aDiffCopyOfAnotherSizeIsNotUsed(@TempDir Path dir) throws Exception {
        Path cp = unpackLab(dir.resolve("cp"));
        byte[] other = "#!/bin/sh\necho a different /opt/avxlab\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(cp.resolve("rootfs-diff.tar")); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry("opt/avxlab");
            e.setSize(other.length);
            tar.putArchiveEntry(e);
            tar.write(other);
            tar.closeArchiveEntry();
        }
        CoreDumpWriter.Result r;
        try (CheckpointArchive a = CheckpointArchive.open(cp); ArchiveMemorySource src = ArchiveMemorySource.over(a)) {
            CheckpointMemory mem = CheckpointMemory.load(src);
            r = CoreDumpWriter.write(mem, Lab.PID, dir.resolve("core.1"), MappedFiles.of(mem, a));
        }
        assertThat(r.vmas()).filteredOn(s -> s.name().equals("/opt/avxlab") && s.zeroPages() > 0).isNotEmpty()
                .extracting(CoreDumpWriter.VmaSource::zeroReason)
                .containsOnly("rootfs-diff.tar holds " + other.length + " bytes, the mapped file had " + labBinarySize(cp) + ": not the same content");
        assertThat(r.vmas()).filteredOn(s -> s.name().equals("/opt/avxlab")).allSatisfy(s -> assertThat(s.filePages()).isZero());
    }

    @Test
    void aDamagedDiffIsAOneLineErrorAndNoCore(@TempDir Path dir) throws Exception {
        Path cp = unpackLab(dir.resolve("cp"));
        byte[] diff = Files.readAllBytes(cp.resolve("rootfs-diff.tar"));
        Files.write(cp.resolve("rootfs-diff.tar"), java.util.Arrays.copyOf(diff, 700));   // the member's data is cut short
        Path core = dir.resolve("core.1");
        try (CheckpointArchive a = CheckpointArchive.open(cp); ArchiveMemorySource src = ArchiveMemorySource.over(a)) {
            CheckpointMemory mem = CheckpointMemory.load(src);
            Throwable t = catchThrowable(() -> CoreDumpWriter.write(mem, Lab.PID, core, MappedFiles.of(mem, a)));
            assertThat(t).isInstanceOf(MemoryException.class);
            assertThat(t.getMessage()).startsWith("rootfs-diff.tar is corrupt").doesNotContain("\n");
        }
        assertThat(core).doesNotExist();
    }

    /** The file size CRIU recorded for /opt/avxlab: the size of the copy in the untouched lab archive. */
    private static long labBinarySize(Path unpacked) throws IOException {
        return Files.size(unpacked.resolve("opt-avxlab.orig"));
    }

    /** The lab archive unpacked by commons-compress (plus the original /opt/avxlab, kept aside). */
    private static Path unpackLab(Path dir) throws IOException {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(Lab.archive())); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                Path p = dir.resolve(e.getName()).normalize();
                assertThat(p.startsWith(dir)).as(e.getName()).isTrue();
                if (e.isDirectory()) Files.createDirectories(p);
                else {
                    Files.createDirectories(p.getParent());
                    Files.copy(tar, p);
                }
            }
        }
        try (InputStream in = Files.newInputStream(dir.resolve("rootfs-diff.tar")); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; )
                if (e.getName().endsWith("opt/avxlab")) Files.copy(tar, dir.resolve("opt-avxlab.orig"));
        }
        return dir;
    }
}
