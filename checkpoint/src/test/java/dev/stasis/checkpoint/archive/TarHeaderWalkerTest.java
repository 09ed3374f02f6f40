package dev.stasis.checkpoint.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-tar header walker against the system's GNU tar: archives written by tar itself in
 * each of its formats (long names as GNU 'L' records, PAX headers, the ustar prefix), listed by
 * tar and by us, and the contents read back through the offsets we found.
 */
class TarHeaderWalkerTest {
    @TempDir Path dir;

    private static final String LONG_DIR = "checkpoint/" + "d".repeat(90) + "/" + "e".repeat(60);

    private Path tarOf(String format) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve(LONG_DIR));
        Files.writeString(src.resolve("checkpoint/pstree.img"), "short name");
        Files.writeString(src.resolve(LONG_DIR).resolve("f".repeat(80) + ".img"), "long name, " + format);
        Files.write(src.resolve("checkpoint/pages-1.img"), new byte[3 * 4096 + 17]);
        Files.createSymbolicLink(src.resolve("checkpoint/link-" + "l".repeat(120)), Path.of("t".repeat(120)));
        Path tar = dir.resolve(format + ".tar");
        Process p = new ProcessBuilder("tar", "--format=" + format, "-C", src.toString(), "-cf", tar.toString(), "checkpoint")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return tar;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix", "ustar"})
    void listsWhatTarListsAndReadsTheSameBytes(String format) throws Exception {
        Path tar = format.equals("ustar") ? ustarTar() : tarOf(format);
        Map<String, Long> expected = CheckpointArchiveTest.systemTarListing(tar);
        assertThat(expected).isNotEmpty();
        try (CheckpointArchive a = CheckpointArchive.open(tar)) {
            Map<String, Long> ours = new HashMap<>();
            for (ArchiveMember m : a.members()) if (m.isFile()) ours.put(m.name(), m.size());
            assertThat(ours).isEqualTo(expected);
            for (String name : expected.keySet()) {
                assertThat(a.read(name)).isEqualTo(Files.readAllBytes(dir.resolve("src").resolve(name)));
            }
            if (!format.equals("ustar")) {
                ArchiveMember link = a.members().stream().filter(m -> m.type() == ArchiveMember.Type.SYMLINK).findFirst().orElseThrow();
                assertThat(link.name()).isEqualTo("checkpoint/link-" + "l".repeat(120));
                assertThat(link.linkTarget()).isEqualTo("t".repeat(120));
            }
        }
    }

    /** ustar has no long names: a path of 100-255 characters is split into prefix and name. */
    private Path ustarTar() throws Exception {
        Path src = dir.resolve("src");
        Path deep = src.resolve("checkpoint/" + "d".repeat(90));
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("g".repeat(60) + ".img"), "prefix + name");
        Files.writeString(src.resolve("checkpoint/pstree.img"), "short name");
        Path tar = dir.resolve("ustar.tar");
        Process p = new ProcessBuilder("tar", "--format=ustar", "-C", src.toString(), "-cf", tar.toString(), "checkpoint")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return tar;
    }

    @Test
    void theBundledKubeletStyleTarIndexesLikeTar() throws Exception {
        Path tar = Fixtures.checkpoint("irc-bot.tar");
        try (CheckpointArchive a = CheckpointArchive.open(tar)) {
            Map<String, Long> ours = new HashMap<>();
            for (ArchiveMember m : a.members()) if (m.isFile()) ours.put(m.name(), m.size());
            assertThat(ours).isEqualTo(CheckpointArchiveTest.systemTarListing(tar));
        }
    }

    private void assertOneLineError(byte[] tar, String fragment) throws IOException {
        Path p = dir.resolve("bad.tar");
        Files.write(p, tar);
        Throwable t = catchThrowable(() -> CheckpointArchive.open(p).close());
        assertThat(t).isInstanceOf(CheckpointException.class);
        assertThat(t.getMessage()).doesNotContain("\n").contains(fragment);
    }

    private static byte[] oneFile() {
        return Fixtures.tar(List.of(Fixtures.Member.file("checkpoint/pstree.img", "x".repeat(700))));
    }

    @Test
    void aDamagedHeaderIsAChecksumError() throws Exception {
        byte[] tar = oneFile();
        tar[10] ^= 0x20;
        assertOneLineError(tar, "checksum");
    }

    @Test
    void aTarWithoutItsEndBlocksIsTruncated() throws Exception {
        byte[] tar = oneFile();
        assertOneLineError(Arrays.copyOf(tar, 512 + 1024), "truncated");
        assertOneLineError(Arrays.copyOf(tar, 300), "truncated");
    }

    @Test
    void aHugeLongNameRecordIsRefused() throws Exception {
        byte[] tar = new byte[4 * 512];
        header(tar, 0, "././@LongLink", 'L', 64L << 20);
        assertOneLineError(tar, "claims");
    }

    @Test
    void aMalformedPaxRecordIsRefused() throws Exception {
        byte[] tar = new byte[5 * 512];
        byte[] rec = "99 path=x\n".getBytes(StandardCharsets.US_ASCII);
        header(tar, 0, "pax", 'x', rec.length);
        System.arraycopy(rec, 0, tar, 512, rec.length);
        assertOneLineError(tar, "PAX");
    }

    @Test
    void aPaxPathThatEscapesIsRefused() throws Exception {
        byte[] tar = new byte[6 * 512];
        byte[] rec = "20 path=../../etc/x\n".getBytes(StandardCharsets.US_ASCII);
        header(tar, 0, "pax", 'x', rec.length);
        System.arraycopy(rec, 0, tar, 512, rec.length);
        header(tar, 1024, "harmless", '0', 0);
        assertOneLineError(tar, "..");
    }

    /** Writes a minimal ustar header with a valid checksum. */
    private static void header(byte[] tar, int at, String name, char type, long size) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, tar, at, n.length);
        put(tar, at + 100, String.format("%07o\0", 0644));
        put(tar, at + 108, String.format("%07o\0", 0));
        put(tar, at + 116, String.format("%07o\0", 0));
        put(tar, at + 124, String.format("%011o\0", size));
        put(tar, at + 136, String.format("%011o\0", 0));
        tar[at + 156] = (byte) type;
        put(tar, at + 257, "ustar\0" + "00");
        Arrays.fill(tar, at + 148, at + 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += tar[at + i] & 0xff;
        put(tar, at + 148, String.format("%06o\0 ", sum));
    }

    private static void put(byte[] tar, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, tar, at, b.length);
    }
}
