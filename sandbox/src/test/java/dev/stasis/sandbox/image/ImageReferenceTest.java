package dev.stasis.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference parsing as podman/skopeo normalise names (containers-registries.conf(5)), and the auth files' format. */
class ImageReferenceTest {
    @TempDir
    Path tmp;

    @Test
    void referencesNormaliseLikePodman() {
        assertThat(ImageReference.parse("127.0.0.1:5000/forensics/bot:inc42"))
                .isEqualTo(new ImageReference("127.0.0.1:5000", "forensics/bot", "inc42"));
        assertThat(ImageReference.parse("docker://localhost/bot")).isEqualTo(new ImageReference("localhost", "bot", "latest"));
        assertThat(ImageReference.parse("nginx")).isEqualTo(new ImageReference("docker.io", "library/nginx", "latest"));
        assertThat(ImageReference.parse("me/tool:1").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("quay.io/a/b:c").toString()).isEqualTo("quay.io/a/b:c");
        assertThatThrownBy(() -> ImageReference.parse("quay.io/a/b@sha256:00")).hasMessageContaining("digest");
        assertThatThrownBy(() -> ImageReference.parse("quay.io/A/b")).hasMessageContaining("lower case");
        assertThatThrownBy(() -> ImageReference.parse("quay.io/a/b:bad tag")).hasMessageContaining("invalid tag");
    }

    @Test
    void authFilesInOrderDockerHubAliasesAndBadFiles() throws Exception {
        Path podman = tmp.resolve("auth.json");
        Path docker = tmp.resolve("config.json");
        Files.writeString(podman, "{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + b64("alice:one") + "\"}}}");
        Files.writeString(docker, "{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + b64("bob:two") + "\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("carol:three:with:colons") + "\"}}}");
        RegistryCredentials c = RegistryCredentials.fromFiles(List.of(podman, tmp.resolve("missing.json"), docker));
        assertThat(c.lookup("reg.example:5000")).contains(new RegistryCredentials.Login("alice", "one"));
        assertThat(c.lookup("docker.io")).contains(new RegistryCredentials.Login("carol", "three:with:colons"));
        assertThat(c.lookup("other.example")).isEmpty();
        assertThat(RegistryCredentials.standard(Map.of(), null).lookup("reg.example:5000")).isEmpty();

        Files.writeString(tmp.resolve("bad.json"), "{not json");
        assertThatThrownBy(() -> RegistryCredentials.fromFiles(List.of(tmp.resolve("bad.json"))))
                .isInstanceOf(ImageException.Registry.class).hasMessageStartingWith("cannot read auth file");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
