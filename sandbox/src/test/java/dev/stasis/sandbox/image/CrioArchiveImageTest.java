package dev.stasis.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.sandbox.Fixtures;
import dev.stasis.sandbox.Tools;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRI-O/kubelet-style archive (the bundled podman checkpoint with CRI-O's reduced config.dump and
 * its container manager annotation): CRI-O's and checkpointctl's keys, none of podman's, and the
 * Kubernetes container name rather than CRI-O's k8s_... name.
 */
class CrioArchiveImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void crioArchiveGetsCrioAndCheckpointctlKeysOnly() throws Exception {
        Tools.require("skopeo");
        Path crio = tmp.resolve("checkpoint-notebook.tar");
        String config = """
                {"id":"5b6f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678","name":"k8s_notebook_notebook-7f9c4b-x2kq_data-science_0d6e_0",
                 "rootfsImage":"quay.io/lab/notebook:2.0","rootfsImageRef":"4b16ba9ab2c9aa","rootfsImageName":"quay.io/lab/notebook@sha256:feed",
                 "runtime":"runc","createdTime":"2026-11-29T04:45:18Z","checkpointedTime":"2026-11-29T04:46:00Z"}""";
        rewrite(Fixtures.checkpoint("irc-bot.tar"), crio, config);

        Path dir = tmp.resolve("img");
        CheckpointImages.build(ImageRequest.of(crio, new ImageTarget.OciLayout(dir, "crio")));
        Map<String, String> a = JSON.convertValue(JSON.readTree(Tools.ok("skopeo", "inspect", "--raw", "oci:" + dir + ":crio")).path("annotations"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        assertThat(a).containsEntry(CheckpointAnnotations.CRIO_NAME, "notebook")
                .containsEntry(CheckpointAnnotations.CRIU_NAME, "notebook")
                .containsEntry(CheckpointAnnotations.CRIU_ENGINE, "CRI-O")
                .containsEntry(CheckpointAnnotations.CRIO_ROOTFS_IMAGE_NAME, "quay.io/lab/notebook@sha256:feed")
                .containsEntry(CheckpointAnnotations.CRIU_RUNTIME, "runc")
                .containsEntry(CheckpointAnnotations.CRIU_POD, "notebook-7f9c4b-x2kq")
                .containsEntry(CheckpointAnnotations.CRIU_NAMESPACE, "data-science");
        assertThat(a.keySet()).noneMatch(k -> k.startsWith("io.podman."));
        assertThat(CheckpointImageTest.layerNames(dir)).isEqualTo(CheckpointImageTest.archiveNames(crio));
    }

    /** Copies the archive with CRI-O's config.dump and spec.dump's manager annotation set to cri-o. */
    private static void rewrite(Path from, Path to, String configDump) throws Exception {
        try (InputStream in = Files.newInputStream(from); TarArchiveInputStream tin = new TarArchiveInputStream(in);
             OutputStream out = Files.newOutputStream(to); TarArchiveOutputStream tout = new TarArchiveOutputStream(out)) {
            tout.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry e; (e = tin.getNextEntry()) != null; ) {
                byte[] data = tin.readAllBytes();
                if (e.getName().equals("config.dump")) data = configDump.getBytes(StandardCharsets.UTF_8);
                if (e.getName().equals("spec.dump")) {
                    ObjectNode spec = (ObjectNode) JSON.readTree(data);
                    ((ObjectNode) spec.path("annotations")).put("io.container.manager", "cri-o");
                    data = JSON.writeValueAsBytes(spec);
                }
                e.setSize(data.length);
                tout.putArchiveEntry(e);
                tout.write(data);
                tout.closeArchiveEntry();
            }
        }
    }
}
