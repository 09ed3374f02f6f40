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

    @Test
    void aTextFileIsNamedAsOne() throws Exception {
        Path readme = dir.resolve("notes.md");
        Files.writeString(readme, "# incident 42\n\ncheckpoint is in /var/lib/kubelet/checkpoints\n");
        assertThatThrownBy(() -> CheckpointArchive.open(readme)).isInstanceOf(ArchiveException.class)
                .hasMessage("notes.md is a text file, not a checkpoint archive");
    }

    @Test
    void binaryThatIsNotTextKeepsTheMagicMessage() throws Exception {
        Path bin = dir.resolve("blob.bin");
        Files.write(bin, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        assertThatThrownBy(() -> CheckpointArchive.open(bin)).isInstanceOf(ArchiveException.class)
                .hasMessage("blob.bin is not a checkpoint archive (unknown magic 7f454c46; expected zstd, gzip or tar)");
    }

    @Test
    void aFolderOfArchivesIsNamedWithWhatItHolds() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("evidence"));
        Files.write(folder.resolve("b.tar.zst"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
        Files.write(folder.resolve("a.tar"), new byte[0]);
        Files.writeString(folder.resolve("a.tar.c2.log"), "log");
        assertThatThrownBy(() -> CheckpointArchive.open(folder)).isInstanceOf(ArchiveException.class)
                .hasMessage(folder + " is a folder without a checkpoint (no checkpoint/, pstree.img or config.dump); it holds 2 archives, e.g. "
                        + folder.resolve("a.tar") + ": give one");
    }

    @Test
    void anUnpackedCheckpointFolderStillOpens() throws Exception {
        Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
        Files.createDirectory(unpacked.resolve("checkpoint"));
        CheckpointArchive.open(unpacked).close();
    }
}
