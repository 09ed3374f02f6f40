package dev.stasis.response.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.response.RecordingBackend;
import dev.stasis.response.action.Actions;
import dev.stasis.response.action.Notifier;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.engine.Metrics;
import dev.stasis.response.engine.PolicySource;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.engine.RetryPolicy;
import dev.stasis.response.journal.Journal;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code executor: argo} with the single-replica journal, against {@link ArgoDouble}. What is asserted is what
 * reached the double (the requests that left stasis) and the journal file read as JSON lines, not what the engine
 * says about itself; the parameter names come from the WorkflowTemplate file.
 */
class ArgoExecutorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POLICY = "cooldown: 1h\nrules:\n  - name: freeze\n    match: {rule: \"Outbound Connection*\"}\n"
            + "    actions: [{checkpoint: {backend: podman}}, {label: {labels: {stasis.dev/suspect: \"true\"}}}]\n";

    @TempDir
    Path dir;
    ArgoDouble argo;
    final RecordingBackend backend = new RecordingBackend();
    final List<ResponseEngine> engines = new ArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(ResponseEngine::close);
        if (argo != null) argo.close();
    }

    static String alert(int container, int seq) {
        return "{\"hostname\":\"node-1\",\"priority\":\"Critical\",\"rule\":\"Outbound Connection to C2 Servers\",\"source\":\"syscall\","
                + "\"time\":\"2026-11-29T16:31:56.746609046Z\",\"output\":\"x\",\"output_fields\":{\"k8s.ns.name\":\"load\",\"k8s.pod.name\":\"pod-"
                + container + "\",\"container.name\":\"app\",\"stasis.seq\":\"" + seq + "\"}}";
    }

    static ArgoExecutor executor(ArgoDouble d, String token) {
        return ArgoExecutor.of(HttpClient.newHttpClient(), new ArgoSubmitter.Target(d.uri(), d.namespace, "stasis-respond", () -> token));
    }

    ResponseEngine engine(ArgoExecutor executor, Metrics metrics) throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Actions actions = new Actions(Map.of("podman", backend), "podman", Map.of(), null, new Notifier(HttpClient.newHttpClient()), "test");
        ResponseEngine e = new ResponseEngine(new PolicySource(policy, JsonLog.SILENT), Journal.open(dir.resolve("state"), 0), actions, metrics,
                JsonLog.SILENT, new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20)), null);
        e.executeOn(executor);
        engines.add(e);
        e.resume();
        return e;
    }

    static void idle(ResponseEngine e) throws InterruptedException {
        for (int i = 0; i < 1000 && e.metrics().queueDepth().get() > 0; i++) Thread.sleep(10);
    }

    List<JsonNode> journal() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("state/journal.jsonl"))) if (l.startsWith("{")) out.add(JSON.readTree(l));
        return out;
    }

    List<JsonNode> argoSteps() throws IOException {
        return journal().stream().filter(n -> n.path("t").asText().equals("step") && n.path("type").asText().equals("argo")).toList();
    }

    @Test
    void theParametersAreTheOnesTheWorkflowTemplateDeclares() throws Exception {
        assertThat(List.copyOf(ArgoDouble.templateParameters().keySet())).isEqualTo(ArgoExecutor.PARAMETERS);
        Map<String, String> p = ArgoExecutor.parameters(AlertParser.parse(alert(4, 1)));
        assertThat(List.copyOf(p.keySet())).isEqualTo(ArgoExecutor.PARAMETERS);
        // the Sensor maps the same names from a Falcosidekick body (sensor.yaml): one place for both ways in
        String sensor = Files.readString(dev.stasis.testsupport.ProjectFiles.root().resolve("deploy/argo/sensor.yaml"));
        for (String name : ArgoExecutor.PARAMETERS) assertThat(sensor).contains("{name: " + name + ", value:");
    }

    @Test
    void oneWorkflowPerAlertThePolicyActsOnNothingRunInProcess() throws Exception {
        argo = new ArgoDouble("stasis-agent", "argo-token");
        Metrics metrics = new Metrics();
        ResponseEngine e = engine(executor(argo, "argo-token"), metrics);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) ids.add(e.accept(AlertParser.parse(alert(i % 3, i)), System.nanoTime()).id());
        idle(e);
        // three containers, one cool-down each: three workflows, and no action ran in this process
        assertThat(argo.submits).hasSize(3);
        assertThat(argo.workflows).hasSize(3);
        assertThat(backend.calls()).isEmpty();
        for (ArgoDouble.Workflow w : argo.workflows) {
            assertThat(ids).contains(w.labels().get("stasis.dev/alert"));
            assertThat(w.name()).startsWith("stasis-respond-" + w.labels().get("stasis.dev/alert") + "-");
            assertThat(List.copyOf(w.parameters().keySet())).isEqualTo(ArgoExecutor.PARAMETERS);
            assertThat(w.parameters()).containsEntry("namespace", "load").containsEntry("container", "app").containsEntry("node", "node-1");
            JsonNode sent = JSON.readTree(w.parameters().get("alert"));
            assertThat(sent.path("output_fields").path("k8s.pod.name").asText()).isEqualTo(w.parameters().get("pod"));
        }
        assertThat(argo.workflows.stream().map(w -> w.parameters().get("pod")).toList()).containsExactlyInAnyOrder("pod-0", "pod-1", "pod-2");
        // the journal records each submission with the name Argo gave the workflow
        List<JsonNode> steps = argoSteps();
        assertThat(steps).hasSize(3);
        assertThat(steps.stream().map(s -> s.path("result").path("workflow").asText()).toList())
                .containsExactlyInAnyOrderElementsOf(argo.workflows.stream().map(ArgoDouble.Workflow::name).toList());
        assertThat(steps).allSatisfy(s -> assertThat(s.path("outcome").asText()).isEqualTo("ok"));
        assertThat(metrics.count("stasis_actions", "type", "argo", "result", "ok")).isEqualTo(3);
        assertThat(metrics.scrape()).containsPattern("stasis_argo_submit_seconds_count 3(\\.0)?\\n");
        // a first submission looks for nothing: no list request
        assertThat(argo.lists.get()).isZero();
    }

    /** Journal records as the engine writes them (Records), for a journal an engine left behind when it died. */
    static String alertRecord(String id, int container) {
        return "{\"t\":\"alert\",\"id\":\"" + id + "\",\"at\":" + System.currentTimeMillis() + ",\"key\":\"node-1/load/pod-" + container
                + "/app\",\"rule\":\"freeze\",\"act\":true,\"outcome\":\"acted\",\"alert\":" + alert(container, container) + "}";
    }

    @Test
    void aRecordedSubmissionIsNotMadeAgainAndALostAnswerIsFoundInArgo() throws Exception {
        argo = new ArgoDouble("stasis-agent", "argo-token");
        String recorded = UUID.randomUUID().toString(), inFlight = UUID.randomUUID().toString(), notYet = UUID.randomUUID().toString();
        Files.createDirectories(dir.resolve("state"));
        // the engine died: after recording one submission; during another (the attempt recorded, Argo made the
        // workflow, the answer never recorded); before handing the third over
        Files.writeString(dir.resolve("state/journal.jsonl"), String.join("\n",
                alertRecord(recorded, 1),
                "{\"t\":\"step\",\"id\":\"" + recorded + "\",\"i\":0,\"type\":\"argo\",\"outcome\":\"ok\",\"result\":{\"workflow\":\"stasis-respond-"
                        + recorded + "-abcde\"}}",
                alertRecord(inFlight, 2),
                "{\"t\":\"attempt\",\"id\":\"" + inFlight + "\",\"i\":0,\"try\":1,\"at\":" + System.currentTimeMillis() + "}",
                alertRecord(notYet, 3)) + "\n");
        argo.existing("stasis-respond-" + inFlight + "-q7x2z", inFlight);
        ResponseEngine e = engine(executor(argo, "argo-token"), new Metrics());
        idle(e);
        // one submission, the third alert's; the in-flight one adopted from Argo's list by its label
        assertThat(argo.submits).hasSize(1);
        assertThat(argo.workflows.stream().filter(w -> w.labels().get("stasis.dev/alert").equals(notYet))).hasSize(1);
        assertThat(argo.workflows).hasSize(2);
        assertThat(argo.lists.get()).isEqualTo(1);
        List<JsonNode> steps = argoSteps();
        JsonNode r = steps.stream().filter(s -> s.path("id").asText().equals(inFlight)).findFirst().orElseThrow().path("result");
        assertThat(r.path("workflow").asText()).isEqualTo("stasis-respond-" + inFlight + "-q7x2z");
        assertThat(r.path("adopted").asBoolean()).isTrue();
        // and nothing is pending any more: a second restart hands nothing over
        e.close();
        engines.clear();
        ResponseEngine again = engine(executor(argo, "argo-token"), new Metrics());
        idle(again);
        assertThat(argo.submits).hasSize(1);
        assertThat(argo.lists.get()).isEqualTo(1);
        assertThat(backend.calls()).isEmpty();
    }

    @Test
    void a5xxIsRetriedByTheEnginesRetryPolicyAfterLookingForTheLostOne() throws Exception {
        argo = new ArgoDouble("stasis-agent", "argo-token");
        argo.failNext.set(2);
        Metrics metrics = new Metrics();
        ResponseEngine e = engine(executor(argo, "argo-token"), metrics);
        String id = e.accept(AlertParser.parse(alert(1, 1)), System.nanoTime()).id();
        idle(e);
        assertThat(argo.submits).hasSize(3);
        assertThat(argo.workflows).hasSize(1);
        // before each retry, Argo is asked whether the failed attempt made a workflow after all
        assertThat(argo.lists.get()).isEqualTo(2);
        assertThat(metrics.count("stasis_actions", "type", "argo", "result", "retried")).isEqualTo(2);
        assertThat(argoSteps()).singleElement().satisfies(s -> {
            assertThat(s.path("id").asText()).isEqualTo(id);
            assertThat(s.path("outcome").asText()).isEqualTo("ok");
        });
        // the attempts are journalled before each request leaves
        assertThat(journal().stream().filter(n -> n.path("t").asText().equals("attempt") && n.path("id").asText().equals(id))).hasSize(3);
    }

    @Test
    void anEngineStoppedBetweenRetriesHandsTheAlertOverOnItsNextStart() throws Exception {
        argo = new ArgoDouble("stasis-agent", "argo-token");
        argo.failNext.set(1_000);
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Actions actions = new Actions(Map.of("podman", backend), "podman", Map.of(), null, new Notifier(HttpClient.newHttpClient()), "test");
        // a long backoff: the engine is stopped while it waits to try again
        ResponseEngine slow = new ResponseEngine(new PolicySource(policy, JsonLog.SILENT), Journal.open(dir.resolve("state"), 0), actions, new Metrics(),
                JsonLog.SILENT, new RetryPolicy(5, Duration.ofMinutes(1), Duration.ofMinutes(1)), null);
        slow.executeOn(executor(argo, "argo-token"));
        slow.resume();
        String id = slow.accept(AlertParser.parse(alert(1, 1)), System.nanoTime()).id();
        for (int i = 0; i < 500 && argo.submits.isEmpty(); i++) Thread.sleep(10);
        slow.shutdown(Duration.ofMillis(100));
        slow.close();
        assertThat(argo.workflows).isEmpty();
        argo.failNext.set(0);
        ResponseEngine e = engine(executor(argo, "argo-token"), new Metrics());
        idle(e);
        assertThat(argo.workflows).singleElement().satisfies(w -> assertThat(w.labels()).containsEntry("stasis.dev/alert", id));
        assertThat(argoSteps()).singleElement().satisfies(st -> assertThat(st.path("outcome").asText()).isEqualTo("ok"));
    }

    @Test
    void a4xxIsRecordedAsFailedAndNotRetried() throws Exception {
        argo = new ArgoDouble("stasis-agent", "argo-token");
        Metrics metrics = new Metrics();
        ResponseEngine e = engine(executor(argo, "not-the-token"), metrics);
        e.accept(AlertParser.parse(alert(1, 1)), System.nanoTime());
        idle(e);
        assertThat(argo.submits).hasSize(1);
        assertThat(argo.workflows).isEmpty();
        assertThat(argoSteps()).singleElement().satisfies(s -> {
            assertThat(s.path("outcome").asText()).isEqualTo("failed");
            assertThat(s.path("detail").asText()).startsWith("the Argo Server refused the workflow (HTTP 401): ");
        });
        assertThat(metrics.count("stasis_actions", "type", "argo", "result", "failed")).isEqualTo(1);
        assertThat(backend.calls()).isEmpty();
    }
}
