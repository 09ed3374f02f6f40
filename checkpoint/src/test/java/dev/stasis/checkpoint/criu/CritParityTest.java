package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every image in every bundled checkpoint decodes to what crit 4.2.1 printed
 * for it (testdata/checkpoints/crit), both as a JSON tree and byte for byte.
 */
class CritParityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyImageMatchesCrit() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path archive : TestData.archives()) {
            Map<String, byte[]> images = TestData.images(archive);
            for (Map.Entry<String, byte[]> img : images.entrySet()) {
                TestData.critJson(archive, img.getKey()).ifPresent(expected -> tests.add(DynamicTest.dynamicTest(
                        archive.getFileName() + "/" + img.getKey(), () -> compare(img.getValue(), expected))));
            }
        }
        assertThat(tests).hasSizeGreaterThan(150);
        System.out.println("CritParityTest: comparing " + tests.size() + " images with crit's output");
        return tests.stream();
    }

    private static void compare(byte[] image, String expected) throws Exception {
        CriuImage decoded = ImageReader.read(image);
        JsonNode actual = CritJson.decode(decoded);
        assertThat(actual).isEqualTo(MAPPER.readTree(expected));
        assertThat(CritJson.decodeToString(decoded, false) + "\n").isEqualTo(expected);
    }

    /** crit decode --pretty (the crit show format) for the images of one archive, from resources/crit-pretty. */
    @TestFactory
    Stream<DynamicTest> prettyMatchesCrit() throws Exception {
        Path dir = TestData.root().resolve("checkpoint/src/test/resources/crit-pretty/irc-bot.tar.zst");
        Map<String, byte[]> images = TestData.images(TestData.archive("irc-bot.tar.zst"));
        List<DynamicTest> tests = new ArrayList<>();
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path expected : files.sorted().toList()) {
                String name = expected.getFileName().toString().replaceFirst("\\.json$", "");
                tests.add(DynamicTest.dynamicTest("pretty " + name, () -> assertThat(
                        CritJson.decodeToString(ImageReader.read(images.get(name)), true) + "\n")
                        .isEqualTo(java.nio.file.Files.readString(expected))));
            }
        }
        assertThat(tests).hasSizeGreaterThan(40);
        return tests.stream();
    }

    @Test
    void everyImageWithGroundTruthIsAProtobufImageAndEveryOtherIsRaw() {
        int compared = 0;
        for (Path archive : TestData.archives()) {
            for (Map.Entry<String, byte[]> img : TestData.images(archive).entrySet()) {
                var type = ImageType.byFileName(img.getKey());
                if (img.getKey().endsWith(".json")) continue;
                assertThat(type).as(img.getKey()).isPresent();
                boolean hasCrit = TestData.critJson(archive, img.getKey()).isPresent();
                assertThat(type.get().isRaw()).as(img.getKey()).isEqualTo(!hasCrit);
                if (hasCrit) {
                    assertThat(ImageReader.read(img.getValue()).type()).isEqualTo(type.get());
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(150);
    }
}
