package dev.stasis.checkpoint.archive;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture or a lone CRIU image given where a checkpoint archive belongs is named for what it is. */
class WrongKindTest {
    @TempDir
    Path dir;

    private static Path testdata() {
        return dev.stasis.testsupport.ProjectFiles.root().resolve("testdata");
    }

    @Test
    void aCaptureIsNamedAsOne() throws Exception {
        // the bundled captures are gzip files as published; sysdig writes them plain
        Path scap = dir.resolve("plain.scap");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(testdata().resolve("captures/falco_cat_write.scap")))) {
            Files.copy(in, scap);
        }
        assertThatThrownBy(() -> CheckpointArchive.open(scap)).isInstanceOf(ArchiveException.class)
                .hasMessage("plain.scap is a syscall capture (.scap), not a checkpoint archive: read it with `stasis capture`");
    }

    @Test
    void aGzippedCaptureIsNamedAsOne() {
        Path gz = testdata().resolve("captures/falco_cat_write.scap");
        assertThatThrownBy(() -> CheckpointArchive.open(gz)).isInstanceOf(ArchiveException.class)
                .hasMessage("falco_cat_write.scap is a gzip-compressed syscall capture (.scap), not a checkpoint archive: read it with `stasis capture`");
    }

    @Test
    void aLoneCriuImageIsNamedAsOne() throws Exception {
        Path img = dir.resolve("pstree.img");
        // IMG_COMMON, then pstree's magic, then no entries: the first bytes of every CRIU image
        Files.write(img, new byte[] {0x19, 0x43, 0x56, 0x54, 0x30, 0x30, 0x27, 0x50});
        assertThatThrownBy(() -> CheckpointArchive.open(img)).isInstanceOf(ArchiveException.class)
                .hasMessage("pstree.img is a single CRIU image, not a checkpoint archive: decode it with `stasis crit decode -i pstree.img`");
    }
}
