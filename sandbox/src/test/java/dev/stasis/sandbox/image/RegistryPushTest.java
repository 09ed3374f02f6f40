package dev.stasis.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.sandbox.Fixtures;
import dev.stasis.sandbox.LocalRegistry;
import dev.stasis.sandbox.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The distribution-API client against real registries: chunked uploads and an htpasswd login from an auth file. */
class RegistryPushTest {
    @RegisterExtension
    static final LocalRegistry OPEN = new LocalRegistry();

    @RegisterExtension
    static final LocalRegistry LOCKED = new LocalRegistry("stasis", "s3cret");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void layerSentInManySmallChunksArrivesWhole() throws Exception {
        OPEN.require();
        Tools.require("skopeo");
        Path archive = Fixtures.checkpoint("irc-bot.tar");
        ImageReference ref = ImageReference.parse(OPEN.host() + "/stasis/chunked:1");
        // 64 KiB chunks: about twenty PATCH requests for the 1.3 MB layer
        CheckpointImage image = CheckpointImages.build(ImageRequest.of(archive,
                new ImageTarget.Registry(ref, false, RegistryCredentials.none())), 64 * 1024);
        assertThat(image.layerSize()).isGreaterThan(10 * 64 * 1024);
        Path copy = tmp.resolve("copy");
        // skopeo checks every blob against its digest while copying
        Tools.ok("skopeo", "copy", "--src-tls-verify=false", "docker://" + ref, "oci:" + copy + ":x");
        assertThat(CheckpointImageTest.layerNames(copy)).isEqualTo(CheckpointImageTest.archiveNames(archive));
    }

    @Test
    void loginComesFromTheAuthFile() throws Exception {
        LOCKED.require();
        Tools.require("skopeo");
        Path archive = Fixtures.checkpoint("irc-bot.tar");
        ImageReference ref = ImageReference.parse(LOCKED.host() + "/stasis/locked:1");
        assertThatThrownBy(() -> CheckpointImages.build(ImageRequest.of(archive, new ImageTarget.Registry(ref, false, RegistryCredentials.none()))))
                .isInstanceOf(ImageException.Registry.class)
                .hasMessage("registry " + LOCKED.host() + " refused the login (no credentials for it in the auth files)");

        Path auth = tmp.resolve("containers/auth.json");
        Files.createDirectories(auth.getParent());
        Files.writeString(auth, "{\"auths\":{\"" + LOCKED.host() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("stasis:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        RegistryCredentials creds = RegistryCredentials.standard(java.util.Map.of("XDG_RUNTIME_DIR", tmp.toString()), tmp.resolve("home"));
        CheckpointImages.build(ImageRequest.of(archive, new ImageTarget.Registry(ref, false, creds)));

        JsonNode m = JSON.readTree(Tools.ok("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "stasis:s3cret", "docker://" + ref));
        assertThat(m.path("annotations").path(CheckpointAnnotations.CRIO_NAME).asText()).isEqualTo("notebook");
        Tools.Result anonymous = Tools.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref));
        assertThat(anonymous.exit()).isNotZero();
    }
}
