package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Image kinds missing from the bundled checkpoints (reg-files, sockets, pipes
 * and their data, tty, creds, timers, fsnotify, bpf, ipc, ghost files...):
 * built with the protobuf builders, then decoded and compared with what crit
 * 4.2 printed for those same bytes (src/test/resources/criu-synthetic:
 * {@code crit decode}, {@code crit decode --pretty}, {@code crit show --nopl}).
 */
class SyntheticImagesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path DIR = TestData.root().resolve("checkpoint/src/test/resources/criu-synthetic");

    @TestFactory
    Stream<DynamicTest> decodeMatchesCrit() {
        Map<String, byte[]> built = SyntheticImages.all();
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : built.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                byte[] stored = Files.readAllBytes(DIR.resolve(e.getKey()));
                // crit's output below was made from the stored bytes; the builders must still make them.
                assertThat(e.getValue()).isEqualTo(stored);
                CriuImage img = ImageReader.read(stored);
                String expected = read(e.getKey() + ".json");
                assertThat(CritJson.decode(img)).isEqualTo(MAPPER.readTree(expected));
                assertThat(CritJson.decodeToString(img, false) + "\n").isEqualTo(expected);
                assertThat(CritJson.decodeToString(img, true) + "\n").isEqualTo(read(e.getKey() + ".pretty.json"));
                if (Files.exists(DIR.resolve(e.getKey() + ".nopl.json"))) {
                    assertThat(CritShow.show(img, true) + "\n").isEqualTo(read(e.getKey() + ".nopl.json"));
                }
            }));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(50);
        return tests.stream();
    }

    @Test
    void prettyFormsFollowCritsFieldOptions() throws IOException {
        JsonNode inet = MAPPER.readTree(CritShow.show(ImageReader.read(SyntheticImages.all().get("inetsk.img"))));
        JsonNode first = inet.get("entries").get(0);
        assertThat(first.get("family").asText()).isEqualTo("INET");
        assertThat(first.get("state").asText()).isEqualTo("ESTABLISHED");
        assertThat(first.get("dst_addr").get(0).asText()).isEqualTo("10.88.0.1");
        assertThat(first.get("flags").asText()).isEqualTo("0x802");
        // a state crit has no name for stays a number
        assertThat(inet.get("entries").get(4).get("state").asInt()).isEqualTo(12);

        JsonNode reg = MAPPER.readTree(CritShow.show(ImageReader.read(SyntheticImages.all().get("reg-files.img"))));
        assertThat(reg.get("entries").get(0).get("flags").asText()).isEqualTo("O_RDWR | O_APPEND | O_LARGEFILE");
        assertThat(reg.get("entries").get(2).get("flags").asText()).isEqualTo("O_WRONLY | O_RDWR | 0x10000000");
    }

    @Test
    void imagesCritCannotDecodeStillDecode() {
        Map<String, byte[]> m = SyntheticImages.withoutCritHandler();
        JsonNode pidfd = CritJson.decode(ImageReader.read(m.get("pidfd.img")));
        assertThat(pidfd.get("magic").asText()).isEqualTo("PIDFD");
        assertThat(pidfd.get("entries").get(0).get("nspid").asInt()).isEqualTo(25);
        JsonNode sig = CritJson.decode(ImageReader.read(m.get("signal-p-1.img")));
        assertThat(sig.get("magic").asText()).isEqualTo("SIGNAL");
        assertThat(sig.get("entries").get(0).get("signals").get(0).get("siginfo").asText()).isEqualTo("EQAAAA==\n");
        JsonNode binfmt = CritJson.decode(ImageReader.read(m.get("binfmt-misc.img")));
        assertThat(binfmt.get("entries").get(0).get("interpreter").asText()).isEqualTo("/usr/bin/qemu-arm");
    }

    @Test
    void writerReproducesEveryRealImage() {
        int n = 0;
        for (Path archive : TestData.archives()) {
            for (Map.Entry<String, byte[]> img : TestData.images(archive).entrySet()) {
                if (ImageType.byFileName(img.getKey()).map(ImageType::isRaw).orElse(true)) continue;
                assertThat(ImageWriter.write(ImageReader.read(img.getValue()))).as(img.getKey()).isEqualTo(img.getValue());
                n++;
            }
        }
        assertThat(n).isGreaterThan(150);
    }

    private static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
