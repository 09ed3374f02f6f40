package dev.stasis.checkpoint.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.Fixtures;
import dev.stasis.checkpoint.Fixtures.Member;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus: archives built here, byte by byte, each of which must end in a one-line
 * {@link CheckpointException} (never another exception type, a hang, or a write outside the
 * intended place).
 */
class HostileArchiveTest {
    @TempDir Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(data);
        }
        return out.toByteArray();
    }

    private static void assertOneLine(Throwable t) {
        assertThat(t).isInstanceOf(CheckpointException.class);
        assertThat(t.getMessage()).isNotBlank().doesNotContain("\n");
    }

    private void assertRejected(Path archive, String... fragments) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (CheckpointArchive a = CheckpointArchive.open(archive)) {
                for (ArchiveMember m : a.members()) if (m.isFile()) a.content(m.name());
            }
        });
        assertOneLine(t);
        for (String f : fragments) assertThat(t.getMessage()).contains(f);
    }

    @Test
    void pathTraversalIsRefused() throws IOException {
        Path p = write("traversal.tar", Fixtures.tar(List.of(Member.file("../../etc/cron.d/evil", "* * * * * root sh"))));
        assertRejected(p, "..");
    }

    @Test
    void absolutePathIsRefused() throws IOException {
        Path p = write("absolute.tar", Fixtures.tar(List.of(Member.file("/etc/passwd", "root::0:0::/:/bin/sh"))));
        assertRejected(p, "absolute path");
    }

    @Test
    void traversalHiddenInsideACompressedArchiveIsRefusedToo() throws IOException {
        byte[] tar = Fixtures.tar(List.of(Member.file("checkpoint/../../x", "x")));
        assertRejected(write("traversal.tar.zst", Zstd.compress(tar)), "..");
        assertRejected(write("traversal.tar.gz", gzip(tar)), "..");
    }

    private static byte[] realTar() {
        Map<String, byte[]> m = Fixtures.members(Fixtures.checkpoint("irc-bot.tar"));
        List<Member> members = new ArrayList<>();
        m.forEach((k, v) -> members.add(Member.file(k, v)));
        return Fixtures.tar(members);
    }

    @Test
    void truncatedGzipIsAnError() throws IOException {
        byte[] gz = gzip(realTar());
        Path p = write("truncated.tar.gz", Arrays.copyOf(gz, gz.length / 2));
        assertRejected(p);
    }

    @Test
    void truncatedZstdIsAnError() throws IOException {
        byte[] zst = Zstd.compress(realTar());
        Path p = write("truncated.tar.zst", Arrays.copyOf(zst, zst.length / 2));
        assertRejected(p);
    }

    @Test
    void truncatedPlainTarIsAnError() throws IOException {
        byte[] tar = realTar();
        assertRejected(write("truncated.tar", Arrays.copyOf(tar, tar.length / 2)));
    }

    @Test
    void decompressionBombStopsAtTheLimit() throws IOException {
        // 64 MiB of zeros in one member compress to a few KiB: with a 16 MiB limit the scan must stop.
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("checkpoint/pages-1.img");
            e.setSize(64L << 20);
            t.putArchiveEntry(e);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) t.write(zeros);
            t.closeArchiveEntry();
        }
        byte[] bomb = Zstd.compress(tar.toByteArray(), 19);
        assertThat(bomb.length).isLessThan(1 << 20);
        Path p = write("bomb.tar.zst", bomb);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (CheckpointArchive a = CheckpointArchive.open(p, ArchiveLimits.defaults().withMaxUnpacked(16L << 20))) {
                a.content("checkpoint/pages-1.img");
            }
        });
        assertOneLine(t);
        assertThat(t.getMessage()).contains("decompression bomb");
    }

    @Test
    void memberWhoseSizeLiesIsAnError() throws IOException {
        byte[] tar = Fixtures.tar(List.of(Member.file("config.dump", "{\"id\":\"x\"}")));
        // Rewrite the size field (octal, offset 124, 12 bytes) to claim 1 MiB; fix the header checksum.
        byte[] size = String.format("%011o\0", 1 << 20).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, tar, 124, 12);
        Arrays.fill(tar, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += tar[i] & 0xff;
        byte[] chk = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, tar, 148, 8);
        assertRejected(write("lying.tar", tar));
        assertRejected(write("lying.tar.gz", gzip(tar)));
    }

    @Test
    void unknownMagicIsAnError() throws IOException {
        assertRejected(write("random.bin", "PK\3\4 this is a zip, not a checkpoint".getBytes(StandardCharsets.US_ASCII)), "unknown magic 504b0304");
        assertRejected(write("empty.tar", new byte[0]), "empty");
    }

    @Test
    void missingPstreeIsAnErrorWhenProcessesAreAsked() throws IOException {
        Map<String, byte[]> real = Fixtures.members(Fixtures.checkpoint("irc-bot.tar"));
        List<Member> members = new ArrayList<>();
        real.forEach((k, v) -> {
            if (!k.equals("checkpoint/pstree.img")) members.add(Member.file(k, v));
        });
        Path p = write("no-pstree.tar", Fixtures.tar(members));
        try (Checkpoint cp = Checkpoint.open(p)) {
            assertThat(cp.container().name()).isEqualTo("notebook");
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(cp::processes);
            assertOneLine(t);
            assertThat(t.getMessage()).contains("pstree.img");
        }
    }

    @Test
    void protobufLengthFarBeyondTheFileIsAnImageError() throws IOException {
        Map<String, byte[]> real = Fixtures.members(Fixtures.checkpoint("irc-bot.tar"));
        List<Member> members = new ArrayList<>();
        real.forEach((k, v) -> {
            if (k.equals("checkpoint/pstree.img")) {
                byte[] bad = Arrays.copyOf(v, v.length);
                bad[8] = (byte) 0xff; bad[9] = (byte) 0xff; bad[10] = (byte) 0xff; bad[11] = (byte) 0x7f;
                members.add(Member.file(k, bad));
            } else {
                members.add(Member.file(k, v));
            }
        });
        Path p = write("bad-length.tar", Fixtures.tar(members));
        try (Checkpoint cp = Checkpoint.open(p)) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(cp::processes);
            assertOneLine(t);
            assertThat(t.getMessage()).contains("pstree.img");
        }
    }

    @Test
    void nothingIsWrittenBesideTheArchive() throws IOException {
        pathTraversalIsRefused();
        absolutePathIsRefused();
        try (var s = Files.walk(dir)) {
            assertThat(s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("traversal.tar", "absolute.tar");
        }
        assertThat(dir.getParent().resolve("etc")).doesNotExist();
    }

}
