package dev.stasis.sandbox.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.sandbox.Fixtures;
import dev.stasis.sandbox.Tools;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The printed YAML parsed back with fabric8's serialisation, checked against the checkpoint's own
 * spec.dump and config.dump read here with tar and Jackson, not through stasis.
 */
class RestoreManifestsTest {
    /** CRI-O's ignoreMounts in server/container_restore.go: paths it sets up itself. */
    private static final Set<String> CRIO_IGNORES = Set.of("/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys", "/sys/fs/cgroup",
            "/dev/shm", "/etc/resolv.conf", "/etc/hostname", "/etc/passwd", "/etc/group", "/run/secrets", "/run/.containerenv");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization K8S = new KubernetesSerialization();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar", "irc-bot.tar.zst", "benign-web.tar.zst", "fileless-miner.tar.gz"})
    void manifestsParseAndSatisfyEveryBindMountWithoutHostPaths(String name) throws Exception {
        Path archive = Fixtures.checkpoint(name);
        String yaml = RestoreManifests.generate(archive, ManifestOptions.forImage("registry.example/stasis/ckpt:1")
                .withNodePool("pool=forensic")).yaml();
        List<HasMetadata> objects = parse(yaml);
        Namespace ns = one(objects, Namespace.class);
        Pod pod = one(objects, Pod.class);
        NetworkPolicy policy = one(objects, NetworkPolicy.class);

        assertThat(ns.getMetadata().getLabels()).containsKey("pod-security.kubernetes.io/enforce");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo(ns.getMetadata().getName()).isEqualTo("forensics");

        JsonNode spec = member(archive, "spec.dump");
        JsonNode config = member(archive, "config.dump");
        var ctr = pod.getSpec().getContainers().getFirst();
        assertThat(pod.getSpec().getContainers()).hasSize(1);
        String k8sName = spec.path("annotations").path("io.kubernetes.container.name").asText(config.path("name").asText());
        assertThat(ctr.getName()).isEqualTo(k8sName);
        assertThat(ctr.getImage()).isEqualTo("registry.example/stasis/ckpt:1");

        List<String> mountPaths = ctr.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();
        List<String> binds = new ArrayList<>();
        for (JsonNode m : spec.path("mounts")) {
            boolean bind = m.path("type").asText().equals("bind")
                    || List.of(JSON.convertValue(m.path("options"), String[].class)).stream().anyMatch(o -> o.equals("bind") || o.equals("rbind"));
            if (bind && !CRIO_IGNORES.contains(m.path("destination").asText())) binds.add(m.path("destination").asText());
        }
        assertThat(binds).as("spec.dump bind mounts").isNotEmpty();
        assertThat(mountPaths).containsAll(binds);

        assertThat(yaml).doesNotContain("hostPath");
        for (Volume v : pod.getSpec().getVolumes()) {
            assertThat(v.getHostPath()).isNull();
            assertThat(v.getSecret()).isNull();
            assertThat(v.getEmptyDir() != null || v.getConfigMap() != null).as(v.getName()).isTrue();
        }
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getHostNetwork()).isFalse();
        assertThat(pod.getSpec().getHostPID()).isFalse();
        assertThat(pod.getSpec().getHostIPC()).isFalse();
        assertThat(ctr.getSecurityContext().getPrivileged()).isFalse();
        assertThat(ctr.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(ctr.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(pod.getSpec().getNodeSelector()).isEqualTo(Map.of("pool", "forensic"));
        assertThat(pod.getSpec().getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("pool");
            assertThat(t.getValue()).isEqualTo("forensic");
        });
        String sha = Tools.ok("sha256sum", archive.toString()).split("\\s+")[0];
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("stasis.dev/source-sha256", sha)
                .containsEntry("stasis.dev/container-id", config.path("id").asText());
        assertThat(pod.getMetadata().getLabels()).containsEntry("stasis.dev/evidence", "checkpoint-restore");

        // the policy selects the pod, denies all ingress and lets egress reach only the sinkhole
        assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
        assertThat(policy.getSpec().getEgress()).isNotEmpty();
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            assertThat(rule.getTo()).as("an egress rule without 'to' allows every destination").isNotEmpty();
            for (NetworkPolicyPeer peer : rule.getTo()) {
                assertThat(peer.getIpBlock()).isNull();
                assertThat(peer.getNamespaceSelector()).isNull();
                assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(Map.of("stasis.dev/role", "sinkhole"));
            }
        }
        assertThat(policy.getSpec().getEgress()).anySatisfy(r -> assertThat(r.getPorts()).anySatisfy(p -> {
            assertThat(p.getProtocol()).isEqualTo("UDP");
            assertThat(p.getPort().getIntVal()).isEqualTo(53);
        }));
    }

    @Test
    void tellsThatTheEstablishedIrcConnectionNeedsTcpEstablished() {
        Path archive = Fixtures.checkpoint("irc-bot.tar");
        List<String> members = Tools.ok("tar", "tf", archive.toString()).lines().toList();
        assertThat(members).anyMatch(m -> m.startsWith("checkpoint/tcp-stream-"));
        RestoreManifest m = RestoreManifests.generate(archive, ManifestOptions.forImage("x/y:z"));
        // the C2 at 10.88.0.1:6667 (testdata/checkpoints/irc-bot.tar.c2.log)
        assertThat(m.caveats()).anyMatch(c -> c.contains("tcp-established") && c.contains("10.88.0.1:6667"));
        assertThat(m.yaml()).contains("# What will not come back:");
    }

    @Test
    void capabilitiesBeyondBaselineAreCalledOut() throws Exception {
        Path archive = Fixtures.checkpoint("fileless-miner.tar.gz");
        JsonNode bounding = member(archive, "spec.dump").path("process").path("capabilities").path("bounding");
        assertThat(bounding.toString()).contains("CAP_SYS_PTRACE");
        RestoreManifest m = RestoreManifests.generate(archive, ManifestOptions.forImage("x/y:z"));
        assertThat(m.caveats()).anyMatch(c -> c.contains("beyond the baseline") && c.contains("SYS_PTRACE"));
        assertThat(RestoreManifests.generate(Fixtures.checkpoint("irc-bot.tar"), ManifestOptions.forImage("x/y:z")).caveats())
                .noneMatch(c -> c.contains("beyond the baseline"));
    }

    @Test
    void badInputIsOneLine() throws Exception {
        assertThatThrownBy(() -> RestoreManifests.generate(tmp.resolve("missing.tar"), ManifestOptions.forImage("x/y:z")))
                .isInstanceOf(ManifestException.class).hasMessageStartingWith("no such file");
        Files.writeString(tmp.resolve("a.txt"), "hi");
        Tools.ok("tar", "cf", tmp.resolve("plain.tar").toString(), "-C", tmp.toString(), "a.txt");
        assertThatThrownBy(() -> RestoreManifests.generate(tmp.resolve("plain.tar"), ManifestOptions.forImage("x/y:z")))
                .hasMessageContaining("not a container checkpoint");
        assertThatThrownBy(() -> ManifestOptions.forImage("x/y:z").withNodePool("novalue"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("LABEL=VALUE");
        assertThatThrownBy(() -> ManifestOptions.forImage("x/y:z").withNamespace("Bad_NS"))
                .isInstanceOf(ManifestException.class);
    }

    private static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        String[] docs = yaml.split("(?m)^---\\s*$");
        for (int i = 1; i < docs.length; i++) out.add(K8S.unmarshal(docs[i], HasMetadata.class));
        return out;
    }

    private static <T> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    private static JsonNode member(Path archive, String name) throws Exception {
        String a = archive.toString();
        String cmd = a.endsWith(".zst") ? "zstd -dc '" + a + "' | tar xOf - " + name
                : a.endsWith(".gz") ? "tar xzOf '" + a + "' " + name : "tar xOf '" + a + "' " + name;
        return JSON.readTree(Tools.ok("sh", "-c", cmd));
    }
}
