package dev.stasis.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.checkpoint.archive.ArchiveException;
import dev.stasis.sandbox.Fixtures;
import dev.stasis.sandbox.LocalRegistry;
import dev.stasis.sandbox.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoint images against real tools: pushed to a real registry (Debian's docker-registry) and
 * read back with skopeo; the layer's file list compared with {@code tar tf} of the original
 * archive and with the image buildah makes from the recipe the runtimes document.
 */
class CheckpointImageTest {
    @RegisterExtension
    static final LocalRegistry REGISTRY = new LocalRegistry();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar", "irc-bot.tar.zst"})
    void pushedImageCarriesTheCheckpointAnnotationsAndTheArchiveMembers(String name) throws Exception {
        REGISTRY.require();
        Tools.require("skopeo");
        Path archive = Fixtures.checkpoint(name);
        String tag = name.replace('.', '-');
        ImageReference ref = ImageReference.parse(REGISTRY.host() + "/stasis/irc-bot:" + tag);
        CheckpointImage image = CheckpointImages.build(ImageRequest.of(archive,
                new ImageTarget.Registry(ref, false, RegistryCredentials.none())));

        String raw = Tools.ok("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref);
        JsonNode manifest = JSON.readTree(raw);
        assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat("sha256:" + sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(image.manifestDigest());
        JsonNode config = configDump(archive);
        JsonNode a = manifest.path("annotations");
        String ctrName = config.path("name").asText();
        assertThat(a.path("io.kubernetes.cri-o.annotations.checkpoint.name").asText()).isEqualTo(ctrName);
        assertThat(a.path("org.criu.checkpoint.container.name").asText()).isEqualTo(ctrName);
        assertThat(a.path("org.criu.checkpoint.rootfsImageName").asText()).isEqualTo(config.path("rootfsImageName").asText());
        assertThat(a.path("io.podman.annotations.checkpoint.runtime.name").asText()).isEqualTo(config.path("runtime").asText());
        assertThat(a.path("io.podman.annotations.checkpoint.rootfsImageID").asText()).isEqualTo(config.path("rootfsImageID").asText());
        assertThat(a.path("org.criu.checkpoint.engine.name").asText()).isEqualTo("Podman");
        assertThat(a.path("dev.stasis.checkpoint.source.sha256").asText()).isEqualTo(sha256(Files.readAllBytes(archive)));

        Path copy = tmp.resolve("copy");
        Tools.ok("skopeo", "copy", "--src-tls-verify=false", "docker://" + ref, "oci:" + copy + ":x");
        assertThat(layerNames(copy)).isEqualTo(archiveNames(archive));
    }

    @Test
    void layoutDirectoryIsAValidOciImage() throws Exception {
        Tools.require("skopeo");
        Path dir = tmp.resolve("layout");
        CheckpointImage image = CheckpointImages.build(ImageRequest.of(Fixtures.checkpoint("irc-bot.tar"), new ImageTarget.OciLayout(dir, "ckpt")));
        JsonNode inspect = JSON.readTree(Tools.ok("skopeo", "inspect", "oci:" + dir + ":ckpt"));
        assertThat(inspect.path("Architecture").asText()).isEqualTo(image.architecture());
        assertThat(inspect.path("Os").asText()).isEqualTo("linux");
        assertThat(inspect.path("Digest").asText()).isEqualTo(image.manifestDigest());
        assertThat(inspect.path("Layers").get(0).asText()).isEqualTo(image.layerDigest());
        JsonNode cfg = JSON.readTree(Tools.ok("skopeo", "inspect", "--config", "--raw", "oci:" + dir + ":ckpt"));
        assertThat(cfg.path("rootfs").path("diff_ids").get(0).asText()).isEqualTo(image.diffId());
        assertThat(layerNames(dir)).isEqualTo(archiveNames(Fixtures.checkpoint("irc-bot.tar")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("layout");
        }
    }

    @Test
    void ociArchiveIsReadableBySkopeo() throws Exception {
        Tools.require("skopeo");
        Path file = tmp.resolve("ckpt.tar");
        CheckpointImage image = CheckpointImages.build(ImageRequest.of(Fixtures.checkpoint("irc-bot.tar.zst"), new ImageTarget.OciArchive(file, "ckpt")));
        JsonNode raw = JSON.readTree(Tools.ok("skopeo", "inspect", "--raw", "oci-archive:" + file + ":ckpt"));
        assertThat(raw.path("annotations").path("io.kubernetes.cri-o.annotations.checkpoint.name").asText()).isEqualTo("notebook");
        assertThat(raw.path("layers").get(0).path("digest").asText()).isEqualTo(image.layerDigest());
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("ckpt.tar");
        }
    }

    @Test
    void sameArchiveGivesTheSameImage() {
        Path archive = Fixtures.checkpoint("irc-bot.tar");
        CheckpointImage a = CheckpointImages.build(ImageRequest.of(archive, new ImageTarget.OciLayout(tmp.resolve("a"), "x")));
        CheckpointImage b = CheckpointImages.build(ImageRequest.of(archive, new ImageTarget.OciLayout(tmp.resolve("b"), "x")));
        assertThat(b.manifestDigest()).isEqualTo(a.manifestDigest());
    }

    /** The file set equals what buildah makes of the seed's recipe: from scratch, add ARCHIVE /, commit. */
    @Test
    void layerHasTheFileSetBuildahMakes() throws Exception {
        Tools.require("buildah");
        Path archive = Fixtures.checkpoint("irc-bot.tar");
        String b = "buildah --root " + tmp.resolve("root") + " --runroot " + tmp.resolve("run") + " --storage-driver vfs";
        String ctr = Tools.ok("sh", "-c", b + " from scratch").strip();
        Tools.ok("sh", "-c", b + " add " + ctr + " " + archive + " / && " + b + " commit -q " + ctr + " ckpt:1 && "
                + b + " push -q ckpt:1 oci:" + tmp.resolve("buildah") + ":x && " + b + " rm -a && " + b + " rmi -a -f");
        CheckpointImages.build(ImageRequest.of(archive, new ImageTarget.OciLayout(tmp.resolve("ours"), "x")));
        assertThat(layerListing(tmp.resolve("ours"))).isEqualTo(layerListing(tmp.resolve("buildah")));
    }

    @Test
    void notACheckpointIsRefusedAndNothingIsWritten() throws Exception {
        Path fake = tmp.resolve("fake.tar");
        Files.writeString(tmp.resolve("hello.txt"), "hi");
        Tools.ok("tar", "cf", fake.toString(), "-C", tmp.toString(), "hello.txt");
        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> CheckpointImages.build(ImageRequest.of(fake, new ImageTarget.OciLayout(out, "x"))))
                .isInstanceOf(ImageException.NotACheckpoint.class)
                .hasMessageContaining("not a container checkpoint");
        assertThat(out).doesNotExist();
    }

    @Test
    void damagedArchiveFailsAndLeavesNothingBehind() throws Exception {
        byte[] all = Files.readAllBytes(Fixtures.checkpoint("irc-bot.tar.zst"));
        Path damaged = tmp.resolve("damaged.tar.zst");
        Files.write(damaged, Arrays.copyOf(all, all.length / 2));
        Path out = tmp.resolve("out.tar");
        assertThatThrownBy(() -> CheckpointImages.build(ImageRequest.of(damaged, new ImageTarget.OciArchive(out, "x"))))
                .isInstanceOf(ArchiveException.class);
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("damaged.tar.zst");
        }
    }

    @Test
    void unreachableRegistryIsOneLine() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ImageReference ref = ImageReference.parse("127.0.0.1:" + port + "/x/y:z");
        assertThatThrownBy(() -> CheckpointImages.build(ImageRequest.of(Fixtures.checkpoint("irc-bot.tar"),
                new ImageTarget.Registry(ref, false, RegistryCredentials.none()))))
                .isInstanceOf(ImageException.Registry.class)
                .hasMessage("cannot reach registry 127.0.0.1:" + port + " (connection refused)");
    }

    // ---- ground truth helpers: tar, skopeo's layout, jackson on the archive's own config.dump

    private static JsonNode configDump(Path archive) throws Exception {
        String cmd = archive.toString().endsWith(".zst") ? "zstd -dc '" + archive + "' | tar xOf - config.dump" : "tar xOf '" + archive + "' config.dump";
        return JSON.readTree(Tools.ok("sh", "-c", cmd));
    }

    /** {@code tar tf} of the original archive: names without "./" and trailing "/", sorted. */
    static List<String> archiveNames(Path archive) {
        String cmd = archive.toString().endsWith(".zst") ? "zstd -dc '" + archive + "' | tar tf -" : "tar tf '" + archive + "'";
        return normalise(Tools.ok("sh", "-c", cmd));
    }

    /** {@code tar tzf} of the single layer of the image in an OCI layout directory. */
    static List<String> layerNames(Path layout) throws Exception {
        return normalise(Tools.ok("tar", "tzf", layerBlob(layout).toString()));
    }

    /** {@code tar tvzf} minus the link column widths: type, mode, owner, size, date and name. */
    private static List<String> layerListing(Path layout) throws Exception {
        return Tools.ok("tar", "--numeric-owner", "-tvzf", layerBlob(layout).toString()).lines()
                .map(l -> l.replaceAll("\\s+", " ")).sorted().toList();
    }

    private static Path layerBlob(Path layout) throws Exception {
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        String m = index.path("manifests").get(0).path("digest").asText();
        JsonNode manifest = JSON.readTree(layout.resolve("blobs/sha256").resolve(m.substring(7)).toFile());
        assertThat(manifest.path("layers")).hasSize(1);
        return layout.resolve("blobs/sha256").resolve(manifest.path("layers").get(0).path("digest").asText().substring(7));
    }

    private static List<String> normalise(String listing) {
        return listing.lines().map(l -> l.replaceFirst("^\\./", "").replaceFirst("/$", "")).filter(l -> !l.isEmpty() && !l.equals("."))
                .sorted().toList();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
