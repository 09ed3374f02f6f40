package dev.stasis.cli.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.cli.CliTesting;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stasis memory artefacts} on the lab checkpoints (testdata/checkpoints/artefacts), and its
 * --kubeconfig review against fabric8's Kubernetes mock server answering SelfSubjectRulesReview
 * (authorization.k8s.io/v1) as the API documents it: POST .../selfsubjectrulesreviews with
 * {@code spec.namespace}, evaluated for the bearer token's identity, answered 201 with
 * {@code status.resourceRules[] {verbs, apiGroups, resources, resourceNames}},
 * {@code status.nonResourceRules[]}, {@code status.incomplete}; an unknown bearer gets 401.
 */
@EnableKubernetesMockClient
class MemoryArtefactsCommandTest {
    static KubernetesMockServer server;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CREDS = "artefacts/credentials.tar.zst";

    final List<RecordedRequest> reviews = new ArrayList<>();
    /** The request bodies as the server parsed them (a recorded body can be read once). */
    final List<JsonNode> bodies = new ArrayList<>();
    /** SubjectAccessReview requests and their parsed bodies. */
    final List<RecordedRequest> accessReviews = new ArrayList<>();
    final List<JsonNode> accessBodies = new ArrayList<>();
    String token;
    /** How the rules review answers a known token: 201 with the rules, 201 with incomplete and no rules (a webhook authorizer), or 403. */
    String rulesMode = "complete";

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        token = JSON.readTree(CliTesting.checkpoint(CREDS + ".planted").toFile()).get("kubernetes_token").asText();
        server.clearExpectations();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReply(new ResponseProvider<Object>() {
            private Headers headers = new Headers.Builder().add("Content-Type", "application/json").build();

            @Override
            public int getStatusCode(RecordedRequest r) {
                synchronized (reviews) {
                    reviews.add(r);
                }
                return !known(r) ? 401 : rulesMode.equals("forbidden") ? 403 : 201;
            }

            @Override
            public Object getBody(RecordedRequest r) {
                if (known(r) && rulesMode.equals("forbidden"))
                    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"selfsubjectrulesreviews.authorization.k8s.io is forbidden\",\"reason\":\"Forbidden\",\"code\":403}";
                return rulesReview(r);
            }

            @Override
            public Headers getHeaders() {
                return headers;
            }

            @Override
            public void setHeaders(Headers h) {
                headers = h;
            }
        }).always();
        // SubjectAccessReview (authorization.k8s.io/v1, cluster-scoped): only the analyst's own admin token may create one;
        // the answer is the request with status.allowed (and reason) filled in, 201
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(new ResponseProvider<Object>() {
            private Headers headers = new Headers.Builder().add("Content-Type", "application/json").build();

            @Override
            public int getStatusCode(RecordedRequest r) {
                synchronized (accessReviews) {
                    accessReviews.add(r);
                }
                return "Bearer the-analysts-own-admin-token".equals(r.getHeader("Authorization")) ? 201 : 403;
            }

            @Override
            public Object getBody(RecordedRequest r) {
                return accessReview(r);
            }

            @Override
            public Headers getHeaders() {
                return headers;
            }

            @Override
            public void setHeaders(Headers h) {
                headers = h;
            }
        }).always();
    }

    /**
     * The authorizer's answer for payments/billing: RBAC lets it list and get secrets and exec into pods in payments,
     * nothing cluster-wide; the user must be the token's service account with its groups.
     */
    private Object accessReview(RecordedRequest req) {
        if (!"Bearer the-analysts-own-admin-token".equals(req.getHeader("Authorization")))
            return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}";
        try {
            JsonNode in = JSON.readTree(req.getUtf8Body());
            synchronized (accessBodies) {
                accessBodies.add(in);
            }
            JsonNode spec = in.path("spec");
            JsonNode ra = spec.path("resourceAttributes");
            boolean sa = spec.path("user").asText().equals("system:serviceaccount:payments:billing");
            String what = ra.path("verb").asText() + " " + ra.path("resource").asText() + "/" + ra.path("subresource").asText("") + " " + ra.path("namespace").asText("");
            boolean allowed = sa && List.of("list secrets/ payments", "get secrets/ payments", "create pods/exec payments").contains(what);
            ObjectNode out = JSON.createObjectNode();
            out.put("kind", "SubjectAccessReview").put("apiVersion", "authorization.k8s.io/v1");
            out.putObject("metadata").putNull("creationTimestamp");
            out.set("spec", spec);
            ObjectNode st = out.putObject("status").put("allowed", allowed);
            if (allowed) st.put("reason", "RBAC: allowed by RoleBinding \"billing-ops/payments\" of Role \"ops\" to ServiceAccount \"billing/payments\"");
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean known(RecordedRequest r) {
        return ("Bearer " + token).equals(r.getHeader("Authorization"));
    }

    /** The API server's answer for the lab token's identity (payments/billing): it may read secrets and exec into pods. */
    private Object rulesReview(RecordedRequest req) {
        if (!known(req))
            return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";
        try {
            JsonNode in = JSON.readTree(req.getUtf8Body());
            synchronized (bodies) {
                bodies.add(in);
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("kind", "SelfSubjectRulesReview").put("apiVersion", "authorization.k8s.io/v1");
            out.putObject("metadata").putNull("creationTimestamp");
            out.set("spec", in.get("spec"));
            ObjectNode st = out.putObject("status");
            var rules = st.putArray("resourceRules");
            if (rulesMode.equals("incomplete")) {
                // a webhook authorizer cannot list rules: only the self-review rules RBAC gives everyone, and incomplete
                rules.addObject().<ObjectNode>set("verbs", JSON.valueToTree(List.of("create")))
                        .<ObjectNode>set("apiGroups", JSON.valueToTree(List.of("authorization.k8s.io")))
                        .set("resources", JSON.valueToTree(List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")));
                st.putArray("nonResourceRules");
                st.put("incomplete", true);
                st.put("evaluationError", "webhook authorizer does not support user rule resolution");
                return out.toString();
            }
            rules.addObject().<ObjectNode>set("verbs", JSON.valueToTree(List.of("get", "list", "watch")))
                    .<ObjectNode>set("apiGroups", JSON.valueToTree(List.of(""))).set("resources", JSON.valueToTree(List.of("secrets")));
            rules.addObject().<ObjectNode>set("verbs", JSON.valueToTree(List.of("create")))
                    .<ObjectNode>set("apiGroups", JSON.valueToTree(List.of(""))).set("resources", JSON.valueToTree(List.of("pods/exec")));
            rules.addObject().<ObjectNode>set("verbs", JSON.valueToTree(List.of("create")))
                    .<ObjectNode>set("apiGroups", JSON.valueToTree(List.of("authorization.k8s.io")))
                    .set("resources", JSON.valueToTree(List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")));
            st.putArray("nonResourceRules").addObject().<ObjectNode>set("verbs", JSON.valueToTree(List.of("get")))
                    .set("nonResourceURLs", JSON.valueToTree(List.of("/api", "/api/*", "/version")));
            st.put("incomplete", false);
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A kubeconfig for the mock server whose own user is an admin token: it must never be the one sent. */
    private Path kubeconfig() throws Exception {
        Path p = dir.resolve("kubeconfig");
        Files.writeString(p, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: lab
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: admin
                  user:
                    token: the-analysts-own-admin-token
                contexts:
                - name: lab
                  context: {cluster: lab, user: admin, namespace: default}
                current-context: lab
                """.formatted(server.url("/").replaceAll("/$", "")));
        return p;
    }

    @Test
    void jsonListsTheCredentialsMaskedAndDecoded() throws Exception {
        CliTesting.Run r = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain(token.substring(token.lastIndexOf('.') + 1)).doesNotContain("Pg-s3cret-0f9a");
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.path("schema").asText()).isEqualTo("stasis.memory-artefacts/v1");
        JsonNode sa = null;
        for (JsonNode c : doc.path("credentials")) if (c.path("kind").asText().equals("kubernetes_service_account_token")) sa = c;
        assertThat(sa).isNotNull();
        assertThat(sa.path("masked").asBoolean()).isTrue();
        assertThat(sa.path("service_account").path("namespace").asText()).isEqualTo("payments");
        assertThat(sa.path("service_account").path("service_account").asText()).isEqualTo("billing");
        assertThat(sa.path("service_account").path("expires").asText()).isEqualTo("2026-12-04T16:00:00Z");   // exp 1796400000 in mint.py
        assertThat(sa.path("vma").asText()).contains("[heap]");
        assertThat(sa.path("address").asText()).startsWith("0x");

        CliTesting.Run shown = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--show-secrets");
        assertThat(shown.out()).contains(token).contains("Pg-s3cret-0f9a");
    }

    @Test
    void historyOfTheReverseShellInOrder() throws Exception {
        String name = "artefacts/reverse-shell.tar.zst";
        CliTesting.Run r = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(name).toString(), "--format", "json", "--pid", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = new ArrayList<>();
        JSON.readTree(r.out()).path("history").forEach(h -> lines.add(h.path("line").asText()));
        assertThat(lines).isEqualTo(Files.readAllLines(CliTesting.checkpoint(name + ".typed")).stream().filter(l -> !l.isEmpty()).toList());
    }

    @Test
    void kubeconfigAsksTheClusterWhatTheLeakedTokenMayDoAsThatToken() throws Exception {
        CliTesting.Run r = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--kubeconfig", kubeconfig().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("the token in pid 1's memory (payments/billing) could read every secret in namespace payments")
                .contains("could run commands in any pod of namespace payments (pods/exec)")
                .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        assertThat(reviews).hasSize(1);
        RecordedRequest req = reviews.get(0);
        assertThat(req.getHeader("Authorization")).isEqualTo("Bearer " + token);
        assertThat(bodies).hasSize(1);
        JsonNode body = bodies.get(0);
        assertThat(body.path("apiVersion").asText()).isEqualTo("authorization.k8s.io/v1");
        assertThat(body.path("kind").asText()).isEqualTo("SelfSubjectRulesReview");
        assertThat(body.path("spec").path("namespace").asText()).isEqualTo("payments");
    }

    @Test
    void aTokenTheClusterRejectsIsReportedAsSuch() throws Exception {
        token = "not-the-lab-token";     // the mock now knows no token from the checkpoint
        CliTesting.Run r = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--kubeconfig", kubeconfig().toString(),
                "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode access = null;
        for (JsonNode c : JSON.readTree(r.out()).path("credentials")) if (c.has("access")) access = c.path("access");
        assertThat(access).isNotNull();
        assertThat(access.path("error").asText()).contains("rejected the token (401)");
        assertThat(access.path("abilities")).isEmpty();
    }

    @Test
    void secretsRestrictedByNameAreNamedAndOtherDangerousVerbsRecognised() {
        List<ResourceRule> rules = List.of(
                new ResourceRuleBuilder().withVerbs("get").withApiGroups("").withResources("secrets").withResourceNames("db-password", "tls").build(),
                new ResourceRuleBuilder().withVerbs("create").withApiGroups("").withResources("pods").build(),
                new ResourceRuleBuilder().withVerbs("get").withApiGroups("").withResources("nodes/*").build(),
                new ResourceRuleBuilder().withVerbs("bind", "escalate").withApiGroups("rbac.authorization.k8s.io").withResources("clusterroles").build());
        assertThat(TokenAccess.abilities(rules, "shop")).containsExactly(
                "could read the secrets db-password, tls in namespace shop",
                "could start pods in namespace shop (e.g. privileged, mounting the node's filesystem)",
                "could reach the kubelet API through nodes/proxy (commands in any pod of a node)",
                "could escalate clusterroles beyond its own permissions (RBAC escalate)",
                "could bind clusterroles it does not hold (RBAC bind)");
        assertThat(TokenAccess.abilities(List.of(new ResourceRuleBuilder().withVerbs("*").withApiGroups("*").withResources("*").build()), "x"))
                .contains("may do anything to every resource (cluster-admin-like) in namespace x", "could read every secret in namespace x");
        assertThat(TokenAccess.abilities(List.of(), "x")).isEmpty();
    }

    @Test
    void anIncompleteRulesReviewIsCompletedBySubjectAccessReviewsForTheVerbsThatMatter() throws Exception {
        rulesMode = "incomplete";
        CliTesting.Run r = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--kubeconfig", kubeconfig().toString(),
                "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain(token.substring(token.lastIndexOf('.') + 1)).doesNotContain("the-analysts-own-admin-token");
        JsonNode access = null;
        for (JsonNode c : JSON.readTree(r.out()).path("credentials")) if (c.has("access")) access = c.path("access");
        assertThat(access).isNotNull();
        List<String> abilities = new ArrayList<>();
        access.path("abilities").forEach(a -> abilities.add(a.path("ability").asText() + " via " + a.path("via").asText()));
        assertThat(abilities).containsExactly(
                "could read every secret in namespace payments via SubjectAccessReview",
                "could read any secret of namespace payments by name via SubjectAccessReview",
                "could run commands in any pod of namespace payments (pods/exec) via SubjectAccessReview");
        assertThat(access.path("incomplete").asBoolean()).isFalse();
        assertThat(access.path("checks")).hasSize(14);

        // the rules review went out with the leaked token; the access reviews with the analyst's own credentials, about the token's user
        assertThat(reviews).hasSize(1);
        assertThat(reviews.get(0).getHeader("Authorization")).isEqualTo("Bearer " + token);
        assertThat(accessReviews).hasSize(14).allSatisfy(q -> assertThat(q.getHeader("Authorization")).isEqualTo("Bearer the-analysts-own-admin-token"));
        List<String> asked = new ArrayList<>();
        for (JsonNode b : accessBodies) {
            assertThat(b.path("apiVersion").asText()).isEqualTo("authorization.k8s.io/v1");
            assertThat(b.path("kind").asText()).isEqualTo("SubjectAccessReview");
            assertThat(b.path("spec").path("user").asText()).isEqualTo("system:serviceaccount:payments:billing");
            List<String> groups = new ArrayList<>();
            b.path("spec").path("groups").forEach(g -> groups.add(g.asText()));
            assertThat(groups).containsExactly("system:serviceaccounts", "system:serviceaccounts:payments", "system:authenticated");
            JsonNode ra = b.path("spec").path("resourceAttributes");
            asked.add(ra.path("verb").asText() + " " + (ra.path("group").asText("").isEmpty() ? "" : ra.path("group").asText() + "/") + ra.path("resource").asText()
                    + (ra.path("subresource").asText("").isEmpty() ? "" : "/" + ra.path("subresource").asText()) + " " + ra.path("namespace").asText("*"));
        }
        assertThat(asked).contains("get secrets payments", "list secrets payments", "get secrets *", "list secrets *", "create pods/exec payments",
                "create pods payments", "get nodes/proxy *", "escalate rbac.authorization.k8s.io/roles payments", "bind rbac.authorization.k8s.io/clusterroles *",
                "impersonate users *", "impersonate serviceaccounts payments");

        CliTesting.Run text = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--kubeconfig", kubeconfig().toString());
        assertThat(text.out()).contains("the token in pid 1's memory (payments/billing) could read every secret in namespace payments (SubjectAccessReview)");
    }

    @Test
    void aForbiddenRulesReviewFallsBackToSubjectAccessReviews() throws Exception {
        rulesMode = "forbidden";
        CliTesting.Run r = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--kubeconfig", kubeconfig().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("could run commands in any pod of namespace payments (pods/exec) (SubjectAccessReview)")
                .doesNotContain("may not even review its own rules");
        assertThat(accessReviews).hasSize(14);
    }

    @Test
    void aCompleteRulesReviewAsksNothingMore() throws Exception {
        CliTesting.Run r = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--kubeconfig", kubeconfig().toString());
        assertThat(r.out()).contains("could read every secret in namespace payments (SelfSubjectRulesReview)");
        assertThat(accessReviews).isEmpty();
    }

    @Test
    void badInputIsOneLine() {
        CliTesting.Run r = CliTesting.run("memory", "artefacts", CliTesting.checkpoint(CREDS).toString(), "--kubeconfig", "/nonexistent/kubeconfig");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("stasis: no such kubeconfig: /nonexistent/kubeconfig");
    }
}
