package dev.stasis.response.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stasis.response.policy.PolicyLoader;
import dev.stasis.testsupport.GroundTruth;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kustomize overlays (deploy/overlays), built by kubectl's own kustomize (not our reading of the
 * files), read with the fabric8 model: core kinds as their typed classes, Argo's and the Prometheus
 * Operator's kinds as generic resources; every object created in the Kubernetes mock server in CRUD
 * mode and read back. Then what each overlay promises: HA has several replicas, no journal volume, a
 * disruption budget and the shared store; Argo's Sensor filters and maps Falco fields with escaped
 * dots, every workflow step has a timeout and a retry policy and runs a stasis command, and the
 * workflow's policy is the engine's.
 */
@EnableKubernetesMockClient(crud = true)
class DeployOverlaysTest {
    static final Path DEPLOY = DeployManifestsTest.DEPLOY;
    static final ObjectMapper YAML = new YAMLMapper();
    static final Map<String, ResourceDefinitionContext> CUSTOM = Map.of(
            "EventSource", ctx("argoproj.io", "v1alpha1", "EventSource", "eventsources"),
            "Sensor", ctx("argoproj.io", "v1alpha1", "Sensor", "sensors"),
            "WorkflowTemplate", ctx("argoproj.io", "v1alpha1", "WorkflowTemplate", "workflowtemplates"),
            "ServiceMonitor", ctx("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors"));
    /** The stasis commands a workflow step may run (each one's command line is parsed by cli's ArgoStepsTest). */
    static final Set<String> STEP_COMMANDS = Set.of("act", "evidence", "analyze", "case", "policy");

    KubernetesClient client;

    static ResourceDefinitionContext ctx(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    /** {@code kubectl kustomize DIR}: the overlay as a cluster would receive it. */
    static String build(String overlay) throws Exception {
        boolean kubectl = Files.isExecutable(Path.of("/usr/bin/kubectl"));
        GroundTruth.require(kubectl, "kubectl (its kustomize builds the overlays)");
        Process p = new ProcessBuilder("kubectl", "kustomize", DEPLOY.resolve("overlays").resolve(overlay).toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("kubectl kustomize " + overlay + ": " + out).isZero();
        return out;
    }

    /** Every document typed where fabric8 has a model, created in the mock API server and read back. */
    List<HasMetadata> load(String yaml) {
        KubernetesSerialization k8s = new KubernetesSerialization();
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank()) continue;
            HasMetadata o = k8s.unmarshal(doc);
            String kind = o.getKind();
            if (CUSTOM.containsKey(kind)) {
                assertThat(o).as(kind).isInstanceOf(GenericKubernetesResource.class);
                var r = client.genericKubernetesResources(CUSTOM.get(kind)).inNamespace(o.getMetadata().getNamespace());
                r.resource((GenericKubernetesResource) o).create();
                assertThat(r.withName(o.getMetadata().getName()).get()).as(kind + " read back").isNotNull();
            } else {
                assertThat(o).as(kind + "/" + o.getMetadata().getName() + ": a typed object").isNotInstanceOf(GenericKubernetesResource.class);
                client.resource(o).create();
                assertThat(client.resource(o).get()).as(kind + " read back").isNotNull();
            }
            out.add(o);
        }
        return out;
    }

    static <T> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static GenericKubernetesResource custom(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> o.getKind().equals(kind)).map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    }

    @Test
    void singleNodeIsOneReplicaWithItsJournalOnAVolume() throws Exception {
        List<HasMetadata> objects = load(build("single-node"));
        Deployment engine = all(objects, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("stasis-engine")).findFirst().orElseThrow();
        assertThat(engine.getSpec().getReplicas()).isEqualTo(1);
        assertThat(engine.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(engine.getSpec().getTemplate().getSpec().getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null);
        assertThat(objects).anyMatch(o -> o.getKind().equals("ServiceMonitor"));
    }

    @Test
    void haRunsSeveralReplicasOnTheSharedStoreWithADisruptionBudget() throws Exception {
        List<HasMetadata> objects = load(build("ha"));
        Deployment engine = all(objects, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("stasis-engine")).findFirst().orElseThrow();
        int replicas = engine.getSpec().getReplicas();
        assertThat(replicas).isGreaterThanOrEqualTo(2);
        assertThat(engine.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        var pod = engine.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).noneMatch(v -> v.getPersistentVolumeClaim() != null);
        assertThat(objects).noneMatch(o -> o.getKind().equals("PersistentVolumeClaim"));
        assertThat(pod.getContainers().getFirst().getResources().getRequests()).containsKeys("cpu", "memory");
        PodDisruptionBudget pdb = all(objects, PodDisruptionBudget.class).getFirst();
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isBetween(1, replicas - 1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(engine.getSpec().getSelector().getMatchLabels());
        ConfigMap cm = all(objects, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("stasis-engine")).findFirst().orElseThrow();
        JsonNode cfg = YAML.readTree(cm.getData().get("stasis.yaml"));
        assertThat(cfg.path("store").path("postgres").asText()).startsWith("jdbc:postgresql://");
        String passwordFile = cfg.path("store").path("passwordFile").asText();
        // the password file is the stasis-store secret, mounted where the configuration says
        var mount = pod.getContainers().getFirst().getVolumeMounts().stream().filter(m -> passwordFile.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        assertThat(pod.getVolumes()).anyMatch(v -> v.getName().equals(mount.getName()) && v.getSecret() != null
                && v.getSecret().getSecretName().equals("stasis-store"));
        assertThat(cm.getData().get("policy.yaml")).as("the base's policy, untouched").isNotBlank();
    }

    @Test
    void argoFiltersMapsAndRunsEveryStepWithATimeoutAndRetries() throws Exception {
        List<HasMetadata> objects = load(build("argo"));
        assertThat(objects).noneMatch(o -> o.getKind().equals("Deployment") && o.getMetadata().getName().equals("stasis-engine"));
        JsonNode sensor = YAML.valueToTree(custom(objects, "Sensor").getAdditionalProperties().get("spec"));
        JsonNode filters = sensor.path("dependencies").get(0).path("filters").path("data");
        List<String> paths = new ArrayList<>();
        filters.forEach(f -> paths.add(f.path("path").asText()));
        assertThat(paths).contains("body.rule", "body.priority").anyMatch(p -> p.startsWith("body.tags"));
        JsonNode trigger = sensor.path("triggers").get(0);
        assertThat(trigger.path("rateLimit").path("requestsPerUnit").asInt()).isPositive();
        List<String> keys = new ArrayList<>();
        trigger.path("template").path("argoWorkflow").path("parameters").forEach(p -> keys.add(p.path("src").path("dataKey").asText()));
        keys.addAll(paths);
        // gjson reads an unescaped dot as a path separator: k8s.pod.name must be k8s\.pod\.name
        Pattern field = Pattern.compile("output_fields\\.(.*)");
        for (String k : keys) {
            var m = field.matcher(k);
            if (m.find()) assertThat(m.group(1).replace("\\.", "")).as(k).doesNotContain(".");
        }
        assertThat(keys).contains("body.output_fields.k8s\\.pod\\.name", "body.output_fields.k8s\\.ns\\.name");

        JsonNode wf = YAML.valueToTree(custom(objects, "WorkflowTemplate").getAdditionalProperties().get("spec"));
        int containers = 0;
        for (JsonNode t : wf.path("templates")) {
            if (!t.has("container")) continue;
            containers++;
            String name = t.path("name").asText();
            assertThat(t.path("activeDeadlineSeconds").asInt()).as(name + ": a timeout").isPositive();
            assertThat(t.path("retryStrategy").path("limit").asInt()).as(name + ": retries").isPositive();
            assertThat(t.path("container").path("args").get(0).asText()).as(name + ": a stasis command").isIn(STEP_COMMANDS);
            assertThat(t.path("container").path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
        }
        assertThat(containers).isGreaterThanOrEqualTo(5);
        // the report is kept as an artefact
        assertThat(wf.toString()).contains("\"report\"").contains("/tmp/report.json");
        // the workflow decides with the engine's own policy
        ConfigMap argoCm = all(objects, ConfigMap.class).stream().filter(c -> "stasis-agent".equals(c.getMetadata().getNamespace())).findFirst().orElseThrow();
        ConfigMap engineCm = all(objects, ConfigMap.class).stream().filter(c -> "stasis".equals(c.getMetadata().getNamespace())
                && c.getMetadata().getName().equals("stasis-engine")).findFirst().orElseThrow();
        assertThat(withoutComments(argoCm.getData().get("policy.yaml"))).isEqualTo(withoutComments(engineCm.getData().get("policy.yaml")));
        assertThat(PolicyLoader.parse(argoCm.getData().get("policy.yaml").getBytes(StandardCharsets.UTF_8)).rules()).isNotEmpty();
        // the admission fences cover the workflow's service account
        assertThat(build("argo")).contains("system:serviceaccount:stasis-agent:stasis-workflow");
    }

    private static String withoutComments(String yaml) {
        return yaml.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n").strip();
    }

    @Test
    void theWorkflowStepsNameOnlyFilesTheyMount() throws IOException {
        String wf = Files.readString(DEPLOY.resolve("argo/workflowtemplate.yaml"));
        for (String path : List.of("/etc/stasis/config/policy.yaml", "/etc/stasis/config/stasis.yaml", "/checkpoints/", "/tmp/report.json"))
            assertThat(wf).contains(path);
        assertThat(wf).contains("mountPath: /etc/stasis/config").contains("mountPath: /checkpoints").contains("path: /var/lib/kubelet/checkpoints");
    }
}
