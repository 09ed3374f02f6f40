package dev.stasis.checkpoint.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.Fixtures;
import dev.stasis.checkpoint.Fixtures.Member;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRI-O/kubelet and containerd archives, built from a real Podman checkpoint's members with the
 * layout and annotations those engines write (docs/formats.md), under names that say nothing.
 */
class EngineDetectionTest {
    @TempDir Path tmp;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path rebuild(String name, Map<String, String> annotations, Set<String> drop, List<Member> extra) throws Exception {
        Map<String, byte[]> real = Fixtures.members(Fixtures.checkpoint("irc-bot.tar"));
        List<Member> out = new ArrayList<>();
        for (var e : real.entrySet()) {
            if (drop.contains(e.getKey())) continue;
            byte[] data = e.getValue();
            if (e.getKey().equals("spec.dump")) {
                ObjectNode spec = (ObjectNode) JSON.readTree(data);
                ObjectNode a = JSON.createObjectNode();
                annotations.forEach(a::put);
                spec.set("annotations", a);
                data = JSON.writeValueAsBytes(spec);
            }
            if (e.getKey().equals("config.dump")) {
                ObjectNode c = JSON.createObjectNode();
                c.put("id", "0123456789abcdef0123");
                c.put("name", "k8s_web_pod");
                c.put("rootfsImageName", "docker.io/library/nginx:1.27");
                c.put("rootfsImageRef", "sha256:abc");
                c.put("runtime", "runc");
                c.put("createdTime", "2026-11-29T04:00:00Z");
                c.put("checkpointedTime", "2026-11-29T05:00:00.5Z");
                data = JSON.writeValueAsBytes(c);
            }
            out.add(Member.file(e.getKey(), data));
        }
        out.addAll(extra);
        Path p = tmp.resolve(name);
        Files.write(p, Fixtures.tar(out));
        return p;
    }

    @Test
    void crioKubeletArchive() throws Exception {
        Path p = rebuild("a", Map.of(
                        "io.container.manager", "cri-o",
                        "io.kubernetes.cri-o.Metadata", "{\"name\":\"web\",\"attempt\":0}",
                        "io.kubernetes.cri-o.Created", "2026-11-29T04:00:00.123Z",
                        "io.kubernetes.cri-o.IP.0", "10.244.1.7",
                        "io.kubernetes.pod.name", "web-6d4cf56db6-abcde",
                        "io.kubernetes.pod.namespace", "shop",
                        "io.kubernetes.container.name", "web"),
                Set.of("network.status", "ctr.log"),
                List.of(Member.file("dump.log", "(00.000001) Version: 4.2.1\n"), Member.file("bind.mounts", "[]"),
                        Member.file("io.kubernetes.cri-o.LogPath", "2026-11-29T04:00:01Z stdout F hello\n")));
        try (Checkpoint cp = Checkpoint.open(p)) {
            Container c = cp.container();
            assertThat(c.engine()).isEqualTo(Engine.CRIO);
            assertThat(c.name()).isEqualTo("web");
            assertThat(c.ip()).isEqualTo("10.244.1.7");
            assertThat(c.podName()).isEqualTo("web-6d4cf56db6-abcde");
            assertThat(c.namespace()).isEqualTo("shop");
            assertThat(new String(cp.dumpLog().orElseThrow())).contains("Version: 4.2.1");
            assertThat(new String(cp.containerLog().orElseThrow())).contains("hello");
            assertThat(c.checkpointed()).isEqualTo(java.time.Instant.parse("2026-11-29T05:00:00.5Z"));
            assertThat(cp.processes().all()).isNotEmpty();
        }
    }

    @Test
    void containerdArchive() throws Exception {
        Path p = rebuild("b", Map.of(
                        "io.kubernetes.cri.container-name", "api",
                        "io.kubernetes.cri.sandbox-name", "api-7c9d",
                        "io.kubernetes.cri.sandbox-namespace", "prod"),
                Set.of("network.status", "ctr.log", "deleted.files"),
                List.of(Member.file("status", "{}"), Member.file("container.log", "log line\n")));
        try (Checkpoint cp = Checkpoint.open(p)) {
            Container c = cp.container();
            assertThat(c.engine()).isEqualTo(Engine.CONTAINERD);
            assertThat(c.name()).isEqualTo("api");
            assertThat(c.podName()).isEqualTo("api-7c9d");
            assertThat(c.namespace()).isEqualTo("prod");
            assertThat(new String(cp.containerLog().orElseThrow())).isEqualTo("log line\n");
            assertThat(cp.deletedFiles()).isEmpty();
        }
    }

    @Test
    void podmanDetectedFromItsAnnotationWhateverTheName() throws Exception {
        Path p = tmp.resolve("checkpoint-fake_ns-c-2026-01-01T00:00:00Z.tar");
        Files.copy(Fixtures.checkpoint("irc-bot.tar"), p);
        try (Checkpoint cp = Checkpoint.open(p)) {
            assertThat(cp.container().engine()).isEqualTo(Engine.PODMAN);
        }
    }
}
