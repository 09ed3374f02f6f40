package dev.stasis.sandbox.run.cage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.sandbox.Fixtures;
import dev.stasis.sandbox.run.Host;
import dev.stasis.sandbox.run.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore copy of the lab's IRC bot archive, read back with GNU tar (not with the code that
 * wrote it) and compared with what GNU tar reads from the original.
 */
class RestoreArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "/run/netns/stasis-sbx-0123abcd-ctr";

    @TempDir
    Path tmp;

    @Test
    void joinsTheCageAndMountsNothingFromTheHost() throws Exception {
        Path original = Fixtures.checkpoint("irc-bot.tar.zst");
        Path copy = tmp.resolve("restore.tar");
        RestoreArchive.Rewrite w;
        try (CheckpointArchive a = CheckpointArchive.open(original)) {
            w = RestoreArchive.write(a, copy, "stasis-sbx-0123abcd", NS, "10.88.0.1", tmp.resolve("mounts"),
                    new RestoreArchive.Limits(256L << 20, 50_000, 100_000, 64), "4b16ba9ab2c96a443b197151ea91cbec943bfed6e9eff3358968353f63d75ad4",
                    "localhost/notebook:2.0");
        }
        JsonNode config = JSON.readTree(tar(copy, false, "config.dump"));
        JsonNode spec = JSON.readTree(tar(copy, false, "spec.dump"));
        JsonNode originalConfig = JSON.readTree(tar(original, true, "config.dump"));

        assertThat(config.path("name").asText()).isEqualTo("stasis-sbx-0123abcd");
        assertThat(config.path("id").asText()).isEqualTo(originalConfig.path("id").asText()).isEqualTo(w.containerId());
        assertThat(config.path("createNetNS").asBoolean(true)).isFalse();
        assertThat(config.path("rootfsImageID").asText()).isEqualTo("4b16ba9ab2c96a443b197151ea91cbec943bfed6e9eff3358968353f63d75ad4");
        assertThat(config.path("networkMode").asText()).isEqualTo("ns:" + NS);
        assertThat(config.has("newNetworks")).isFalse();
        assertThat(config.path("dnsServer").toString()).isEqualTo("[\"10.88.0.1\"]");
        for (JsonNode s : List.of(spec, config.path("spec"))) {
            assertThat(s.path("linux").path("namespaces").toString()).contains("{\"type\":\"network\",\"path\":\"" + NS + "\"}");
            assertThat(s.path("linux").path("resources").path("memory").path("limit").asLong()).isEqualTo(256L << 20);
            assertThat(s.path("linux").path("resources").path("pids").path("limit").asLong()).isEqualTo(64);
            assertThat(s.path("linux").path("resources").path("cpu").path("quota").asLong()).isEqualTo(50_000);
            // the lab's service-account bind (/tmp/lab-sa on the host) is gone; only run-directory paths or podman's own files remain
            for (JsonNode m : s.path("mounts")) {
                if (!m.path("type").asText().equals("bind")) continue;
                String src = m.path("source").asText();
                assertThat(src).satisfiesAnyOf(x -> assertThat(x).startsWith(tmp.resolve("mounts").toString()),
                        x -> assertThat(x).contains("/overlay-containers/" + w.containerId() + "/userdata/"));
            }
        }
        assertThat(w.replacedMounts()).singleElement().asString().startsWith("/var/run/secrets/kubernetes.io/serviceaccount (was /tmp/lab-sa)");
        assertThat(Files.list(tmp.resolve("mounts")).toList()).singleElement().matches(Files::isDirectory);

        // every other member is the original, byte for byte
        List<String> names = tar(copy, false, null).lines().filter(n -> !n.endsWith("/")).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(tar(original, true, null).lines().filter(n -> !n.endsWith("/")).toList());
        for (String n : List.of("checkpoint/pages-1.img", "rootfs-diff.tar", "network.status", "checkpoint/tcp-stream-1c662.img")) {
            assertThat(sha(copy, n, false)).as(n).isEqualTo(sha(original, n, true));
        }
    }

    @Test
    void aCrioConfigBecomesPodmansWithoutThePodsNamespacesOrCgroup() throws Exception {
        Path dir = tmp.resolve("crio");
        Files.createDirectories(dir.resolve("checkpoint"));
        Files.writeString(dir.resolve("checkpoint/inventory.img"), "");
        String id = "5b6f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
        Files.writeString(dir.resolve("config.dump"), "{\"id\":\"" + id + "\",\"name\":\"k8s_app_web-0_ns_1\",\"rootfsImage\":\"quay.io/x/app:1\","
                + "\"rootfsImageRef\":\"4b16ba9ab2c9aa\",\"rootfsImageName\":\"quay.io/x/app@sha256:feed\",\"runtime\":\"runc\"}");
        Files.writeString(dir.resolve("spec.dump"), "{\"linux\":{\"cgroupsPath\":\"kubepods-pod1.slice:crio:" + id + "\",\"namespaces\":["
                + "{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/var/run/netns/pod\"},{\"type\":\"ipc\",\"path\":\"/var/run/ipcns/pod\"}]},"
                + "\"mounts\":[{\"destination\":\"/etc/hostname\",\"type\":\"bind\",\"source\":\"/run/containers/storage/overlay-containers/pod/userdata/hostname\","
                + "\"options\":[\"rbind\"]}]}");
        try (CheckpointArchive a = CheckpointArchive.open(dir)) {
            var config = RestoreArchive.config(a);
            assertThat(RestoreArchive.imageCandidates(config)).containsExactly("4b16ba9ab2c9aa");
            RestoreArchive.write(a, tmp.resolve("c.tar"), "stasis-sbx-0123abcd", NS, "169.254.1.1", tmp.resolve("m"),
                    RestoreArchive.Limits.standard(), "4b16ba9ab2c96a443b197151ea91cbec943bfed6e9eff3358968353f63d75ad4", "localhost/notebook:2.0");
        }
        JsonNode config = JSON.readTree(tar(tmp.resolve("c.tar"), false, "config.dump"));
        JsonNode spec = JSON.readTree(tar(tmp.resolve("c.tar"), false, "spec.dump"));
        assertThat(config.path("id").asText()).isEqualTo(id);
        assertThat(config.path("rootfsImageID").asText()).startsWith("4b16ba9ab2c9");
        assertThat(config.path("rootfsImageName").asText()).isEqualTo("localhost/notebook:2.0");
        assertThat(config.has("crioRootfsImageRef")).isFalse();
        for (JsonNode sp : List.of(spec, config.path("spec"))) {
            assertThat(sp.path("linux").path("cgroupsPath").asText()).isEqualTo("/libpod_parent/libpod-" + id);
            assertThat(sp.path("linux").path("namespaces").toString())
                    .isEqualTo("[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"" + NS + "\"},{\"type\":\"ipc\"}]");
        }
        // the pod's /etc/hostname (a host file) became an empty file in the run directory
        assertThat(spec.path("mounts").get(0).path("source").asText()).startsWith(tmp.resolve("m").toString());
        assertThat(Path.of(spec.path("mounts").get(0).path("source").asText())).isRegularFile().isEmptyFile();
    }

    @Test
    void aDamagedArchiveIsOneLine() throws Exception {
        Path bad = tmp.resolve("bad.tar");
        Files.write(bad, new byte[] {'n', 'o', 't', ' ', 'a', ' ', 't', 'a', 'r'});
        assertThatThrownBy(() -> {
            try (CheckpointArchive a = CheckpointArchive.open(bad)) {
                RestoreArchive.config(a);
            }
        }).hasMessageNotContaining("\n");
    }

    @Test
    void anArchiveWithoutPodmanMetadataIsRefused() throws Exception {
        Path dir = tmp.resolve("bare");
        Files.createDirectories(dir.resolve("checkpoint"));
        Files.writeString(dir.resolve("checkpoint/inventory.img"), "");
        try (CheckpointArchive a = CheckpointArchive.open(dir)) {
            assertThatThrownBy(() -> RestoreArchive.config(a)).isInstanceOf(SandboxException.class).hasMessageStartingWith("not a Podman or CRI-O checkpoint archive (no config.dump/spec.dump)");
        }
    }

    /** GNU tar's reading: a member's text, or the listing when {@code member} is null. */
    private static String tar(Path archive, boolean zstd, String member) {
        List<String> cmd = new java.util.ArrayList<>(List.of("tar"));
        if (zstd) cmd.add("--zstd");
        cmd.addAll(member == null ? List.of("-tf", archive.toString()) : List.of("-xOf", archive.toString(), member));
        Host.Result r = Host.run(cmd, 60);
        assertThat(r.ok()).as(r.err()).isTrue();
        return r.out();
    }

    private static String sha(Path archive, String member, boolean zstd) {
        return Host.run(List.of("sh", "-c", "tar " + (zstd ? "--zstd " : "") + "-xOf \"$0\" \"$1\" | sha256sum", archive.toString(), member), 60).out();
    }
}
