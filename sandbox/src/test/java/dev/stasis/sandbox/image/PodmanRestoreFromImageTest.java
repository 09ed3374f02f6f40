package dev.stasis.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.sandbox.LocalRegistry;
import dev.stasis.sandbox.Tools;
import dev.stasis.testsupport.GroundTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real proof that podman takes our image for a checkpoint: a fresh podman checkpoint of a
 * small container, built into an image by stasis, pushed to a real registry, pulled by podman
 * and restored with {@code podman container restore IMAGE}. Needs the lab (.ci/lab-setup:
 * podman + runc + CRIU, localhost/base:12); skipped loudly without it.
 */
class PodmanRestoreFromImageTest {
    @RegisterExtension
    static final LocalRegistry REGISTRY = new LocalRegistry();

    @TempDir
    Path tmp;

    @Test
    void podmanRestoresTheContainerFromThePushedImage() {
        REGISTRY.require();
        Tools.require("podman");
        boolean lab = Files.exists(Path.of("/tmp/lab-ready"));
        GroundTruth.require(lab, "podman + CRIU lab not set up: no /tmp/lab-ready (run .ci/lab-setup)");

        String name = "stasis-img-" + UUID.randomUUID().toString().substring(0, 8);
        String ref = REGISTRY.host() + "/stasis/" + name + ":1";
        Path archive = tmp.resolve("ckpt.tar");
        List<String> cleanup = new ArrayList<>();
        try {
            String id = podman("run", "-d", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--name", name,
                    "localhost/base:12", "sleep", "600").strip();
            cleanup.add("rm");
            podman("container", "checkpoint", "--compress", "none", "--export=" + archive, name);
            podman("rm", "-f", name);

            CheckpointImage image = CheckpointImages.build(ImageRequest.of(archive,
                    new ImageTarget.Registry(ImageReference.parse(ref), false, RegistryCredentials.none())));
            assertThat(image.annotations()).containsEntry(CheckpointAnnotations.PODMAN_NAME, name);

            podman("pull", "--tls-verify=false", ref);
            cleanup.add("rmi");
            Tools.Result restore = Tools.run(List.of("podman", "--runtime", "runc", "container", "restore", ref));
            assertThat(restore.exit()).as("podman container restore IMAGE: " + restore.err()).isZero();
            // podman restores the container under its original id and name, running the checkpointed process
            assertThat(restore.out().strip()).isEqualTo(id);
            assertThat(podman("inspect", "-f", "{{.State.Running}} {{.Name}}", id).strip()).isEqualTo("true " + name);
            assertThat(podman("exec", name, "cat", "/proc/1/cmdline").replace('\0', ' ').strip()).isEqualTo("sleep 600");
        } finally {
            if (cleanup.contains("rm")) Tools.run(List.of("podman", "--runtime", "runc", "rm", "-f", "-t", "0", name));
            if (cleanup.contains("rmi")) Tools.run(List.of("podman", "rmi", "-f", ref));
        }
    }

    private static String podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of("podman", "--runtime", "runc"));
        cmd.addAll(List.of(args));
        return Tools.ok(cmd.toArray(String[]::new));
    }
}
