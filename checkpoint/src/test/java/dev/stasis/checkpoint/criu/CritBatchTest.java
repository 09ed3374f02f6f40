package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The whole-archive decode gives, for every bundled archive, exactly the images crit 4.2.1
 * decoded (testdata/checkpoints/crit/ARCHIVE/IMAGE.json), byte for byte, and skips the rest.
 */
class CritBatchTest {
    static List<Path> archives() {
        return TestData.archives();
    }

    @ParameterizedTest
    @MethodSource("archives")
    void everyDecodedImageIsWhatCritPrintedAndNothingCritDecodedIsMissing(Path archive) throws Exception {
        Path truth = TestData.checkpoints().resolve("crit").resolve(archive.getFileName().toString());
        Map<String, String> expected = new TreeMap<>();
        try (var files = Files.list(truth)) {
            for (Path f : files.toList()) expected.put(f.getFileName().toString().replaceFirst("\\.json$", ""), Files.readString(f));
        }
        AtomicInteger ticks = new AtomicInteger();
        List<CritBatch.Result> results;
        try (CheckpointArchive a = CheckpointArchive.open(archive)) {
            results = CritBatch.decodeAll(a.images(), false, n -> ticks.incrementAndGet());
        }
        Map<String, String> decoded = results.stream().filter(r -> r instanceof CritBatch.Decoded)
                .map(r -> (CritBatch.Decoded) r).collect(Collectors.toMap(CritBatch.Decoded::name, CritBatch.Decoded::json, (x, y) -> x, TreeMap::new));
        assertThat(decoded.keySet()).isEqualTo(expected.keySet());
        for (var e : expected.entrySet()) assertThat(decoded.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        assertThat(results).noneMatch(r -> r instanceof CritBatch.Failed);
        assertThat(results.stream().filter(r -> r instanceof CritBatch.Skipped).map(CritBatch.Result::name))
                .isNotEmpty().allMatch(n -> n.startsWith("pages-") || n.startsWith("tmpfs-") || !n.endsWith(".img"));
        assertThat(ticks.get()).isEqualTo(results.size());
    }

    @Test
    void aDamagedImageFailsAndAFileThatIsNoImageIsSkipped() {
        byte[] core = TestData.images(TestData.archive("irc-bot.tar.zst")).get("core-1.img");
        byte[] truncated = java.util.Arrays.copyOf(core, 20);
        ImageSource src = new ImageSource() {
            final Map<String, byte[]> files = new TreeMap<>(Map.of("core-1.img", truncated, "descriptors.json", "[]".getBytes(),
                    "pages-1.img", new byte[4096]));

            @Override
            public List<String> names() {
                return List.copyOf(files.keySet());
            }

            @Override
            public Optional<InputStream> open(String name) {
                return Optional.ofNullable(files.get(name)).map(ByteArrayInputStream::new);
            }

            @Override
            public Optional<Long> size(String name) {
                return Optional.ofNullable(files.get(name)).map(b -> (long) b.length);
            }
        };
        List<CritBatch.Result> r = CritBatch.decodeAll(src, false, n -> {});
        assertThat(r.get(0)).isInstanceOf(CritBatch.Failed.class);
        assertThat(r.get(1)).isEqualTo(new CritBatch.Skipped("descriptors.json", "not a CRIU image"));
        assertThat(r.get(2)).isEqualTo(new CritBatch.Skipped("pages-1.img", "raw memory pages, not a protobuf image"));
    }
}
