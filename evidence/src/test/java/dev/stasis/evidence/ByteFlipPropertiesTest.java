package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Any single-bit change anywhere in stored bytes or in the manifest file is caught. */
class ByteFlipPropertiesTest {

    @Property(tries = 25)
    void anyFlippedBitInTheBytesIsNamedAsTheArchive(@ForAll @Size(min = 1, max = 4096) byte[] bytes,
                                                     @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                                                     @ForAll @IntRange(min = 0, max = 7) int bit) throws Exception {
        Path dir = Files.createTempDirectory("stasis-flip");
        try (Vault v = Vault.open(VaultConfig.local(dir))) {
            String id = v.store(new StoreRequest(new StoreRequest.StreamSource(new ByteArrayInputStream(bytes), bytes.length),
                    null, null, TestData.tester(), null, null)).item().id();
            Path object = dir.resolve("objects").resolve(id.substring(0, 2)).resolve(id);
            flip(object, where % bytes.length, bit);
            assertThat(v.verify(id, TestData.tester(), null).problems()).extracting(Problem::part).containsExactly(Part.ARCHIVE);
        } finally {
            deleteTree(dir);
        }
    }

    @Property(tries = 25)
    void anyFlippedBitInTheManifestFileIsCaught(@ForAll @IntRange(min = 0, max = 1 << 20) int where,
                                               @ForAll @IntRange(min = 0, max = 6) int bit) throws Exception {
        Path dir = Files.createTempDirectory("stasis-flip");
        try (Vault v = Vault.open(VaultConfig.local(dir))) {
            String id = v.store(new StoreRequest(new StoreRequest.StreamSource(new ByteArrayInputStream("evidence".getBytes()), 8),
                    Provenance.builder().pod("p").namespace("n").build(), null, TestData.tester(), "why", null)).item().id();
            Path manifest = dir.resolve("manifests").resolve(id + ".json");
            byte[] before = Files.readAllBytes(manifest);
            int pos = where % before.length;
            // whitespace between JSON tokens is not covered by the canonical form; only content bytes are asked about
            if (Character.isWhitespace(before[pos])) return;
            flip(manifest, pos, bit);
            VerifyResult r = v.verify(id, TestData.tester(), null);
            assertThat(r.ok()).as("flipped bit %d of byte %d ('%c')", bit, pos, (char) before[pos]).isFalse();
            assertThat(r.problems()).extracting(Problem::part).containsAnyOf(Part.MANIFEST, Part.SIGNATURE);
        } finally {
            deleteTree(dir);
        }
    }

    private static void flip(Path file, int pos, int bit) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ (1 << bit));
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
