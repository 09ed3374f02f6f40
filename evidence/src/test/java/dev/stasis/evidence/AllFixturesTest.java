package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bundled checkpoint and capture stored, checked against sha256sum, then each one altered and named. */
class AllFixturesTest {
    @TempDir
    Path dir;

    @Test
    void everyFixtureIsStoredUnderItsSha256AndEveryAlterationIsNamed() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.list(TestData.root().resolve("testdata/checkpoints")),
                Files.list(TestData.root().resolve("testdata/captures")))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        Map<String, Path> byId = new HashMap<>();
        Path root = dir.resolve("vault");
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            for (Path f : files) {
                String id = v.store(StoreRequest.ofFile(f, Provenance.builder().sourceName(f.getFileName().toString()).build(), TestData.tester())).item().id();
                assertThat(id).as(f.toString()).isEqualTo(TestData.sha256sum(f));
                byId.put(id, f);
            }
            assertThat(v.verifyAll(TestData.tester(), null)).allMatch(VerifyResult::ok);
        }
        // flip the last byte of every stored object
        for (String id : byId.keySet()) {
            Path object = root.resolve("objects").resolve(id.substring(0, 2)).resolve(id);
            try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
                if (f.length() == 0) continue;
                f.seek(f.length() - 1);
                int b = f.read();
                f.seek(f.length() - 1);
                f.write(b ^ 0x80);
            }
        }
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            List<VerifyResult> rs = v.verifyAll(TestData.tester(), null);
            assertThat(rs).hasSize(byId.size());
            assertThat(rs).allSatisfy(r -> assertThat(r.problems()).extracting(Problem::part).containsExactly(Part.ARCHIVE));
            assertThat(v.custody().verify().ok()).isTrue();
        }
    }
}
