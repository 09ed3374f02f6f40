package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.SeekableContent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The one ghost-file reader against crit 4.2's decoding of the same bytes: the real ghost file
 * of the fileless-miner checkpoint (crit's JSON in testdata/checkpoints/crit) and the synthetic
 * whole and chunked images (crit's JSON in src/test/resources/criu-synthetic). The content
 * expected is rebuilt from crit's entries alone: chunk extras at their offsets, zeros between.
 */
class GhostFileImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SYNTHETIC = TestData.root().resolve("checkpoint/src/test/resources/criu-synthetic");

    @Test
    void realChunkedGhostFileMatchesCrit() throws Exception {
        JsonNode crit = JSON.readTree(TestData.checkpoints().resolve("crit/fileless-miner.tar.gz/ghost-file-1.img.json").toFile());
        try (CheckpointArchive a = CheckpointArchive.open(TestData.checkpoints().resolve("fileless-miner.tar.gz"))) {
            SeekableContent c = a.content("checkpoint/ghost-file-1.img");
            GhostFileImage g = GhostFileImage.read("ghost-file-1.img", c.size(), c::read);
            assertMatchesCrit(g, crit, content(g, c::read));
        }
    }

    @Test
    void syntheticWholeAndChunkedImagesMatchCrit() throws Exception {
        for (String name : new String[] {"ghost-file-a.img", "ghost-file-b.img"}) {
            byte[] image = Files.readAllBytes(SYNTHETIC.resolve(name));
            PositionalInput in = bytes(image);
            GhostFileImage g = GhostFileImage.read(name, image.length, in);
            assertMatchesCrit(g, JSON.readTree(SYNTHETIC.resolve(name + ".json").toFile()), content(g, in));
        }
    }

    @Test
    void readAtFillsHolesAndThePastEndWithZeros() throws Exception {
        byte[] image = Files.readAllBytes(SYNTHETIC.resolve("ghost-file-b.img"));
        GhostFileImage g = GhostFileImage.read("ghost-file-b.img", image.length, bytes(image));
        byte[] page = new byte[8];
        g.readAt(bytes(image), 8190, page);
        assertThat(page).containsExactly(0, 0, 'w', 'x', 'y', 'z', 0, 0);
    }

    @Test
    void aTruncatedImageIsAOneLineFormatError() throws Exception {
        byte[] image = Files.readAllBytes(SYNTHETIC.resolve("ghost-file-b.img"));
        byte[] cut = Arrays.copyOf(image, image.length - 2);
        assertThatThrownBy(() -> GhostFileImage.read("ghost-file-b.img", cut.length, bytes(cut)))
                .isInstanceOf(ImageFormatException.class)
                .hasMessageStartingWith("ghost-file-b.img: ")
                .hasMessageNotContaining("\n");
    }

    private static void assertMatchesCrit(GhostFileImage g, JsonNode crit, byte[] content) {
        JsonNode head = crit.path("entries").get(0);
        assertThat(g.mode()).isEqualTo(head.path("mode").asInt());
        assertThat(g.chunked()).isEqualTo(head.path("chunks").asBoolean(false));
        assertThat(g.size()).isEqualTo(head.path("size").asLong());
        assertThat(g.regular()).isTrue();
        JsonNode mtim = head.path("mtim");
        assertThat(g.modified()).isEqualTo(mtim.isMissingNode() ? null
                : Instant.ofEpochSecond(mtim.path("tv_sec").asLong(), mtim.path("tv_usec").asLong() * 1000));
        byte[] expected;
        if (!g.chunked()) {
            expected = Base64.getMimeDecoder().decode(head.path("extra").asText());
        } else {
            expected = new byte[head.path("size").asInt()];
            for (int i = 1; i < crit.path("entries").size(); i++) {
                JsonNode chunk = crit.path("entries").get(i);
                byte[] data = Base64.getMimeDecoder().decode(chunk.path("extra").asText());
                assertThat(data).hasSize(chunk.path("len").asInt());
                System.arraycopy(data, 0, expected, chunk.path("off").asInt(), data.length);
            }
            assertThat(g.extents()).hasSize(crit.path("entries").size() - 1);
        }
        assertThat(content).isEqualTo(expected);
    }

    private static byte[] content(GhostFileImage g, PositionalInput in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        g.writeContent(in, out);
        return out.toByteArray();
    }

    private static PositionalInput bytes(byte[] image) {
        return (pos, dst) -> {
            if (pos >= image.length) return -1;
            int n = (int) Math.min(dst.remaining(), image.length - pos);
            dst.put(image, (int) pos, n);
            return n;
        };
    }
}
