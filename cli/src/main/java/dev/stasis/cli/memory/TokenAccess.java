package dev.stasis.cli.memory;

import dev.stasis.memory.artefacts.Credential;
import dev.stasis.memory.artefacts.ServiceAccountClaims;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a leaked service-account token may do, as the cluster itself says: a
 * SelfSubjectRulesReview (authorization.k8s.io/v1) in the token's namespace,
 * sent with the token as the bearer, so the API server evaluates the token's
 * own identity. Only the cluster's address and CA are taken from the
 * kubeconfig, never its credentials. The rules are then read for the abilities
 * that matter to an intruder.
 *
 * @param namespace the namespace reviewed
 * @param abilities one sentence per dangerous ability, empty when none
 * @param rules     every resource rule as "verbs on group/resources[names]"
 * @param incomplete the server said the list may be incomplete (an authorizer that cannot enumerate)
 * @param error     why the review could not be made (the token was rejected, the server unreachable), else null
 */
record TokenAccess(String namespace, List<String> abilities, List<String> rules, boolean incomplete, String error) {

    /** The review of every distinct service-account token among the credentials, by token value. */
    static Map<String, TokenAccess> review(Path kubeconfig, List<Credential> credentials) throws IOException {
        Config cluster = Config.fromKubeconfig(Files.readString(kubeconfig));
        Map<String, TokenAccess> out = new LinkedHashMap<>();
        for (Credential c : credentials) {
            if (c.kind() != Credential.Kind.KUBERNETES_SERVICE_ACCOUNT_TOKEN || out.containsKey(c.value())) continue;
            out.put(c.value(), review(cluster, c.value(), c.claims()));
        }
        return out;
    }

    static TokenAccess review(Config cluster, String token, ServiceAccountClaims claims) {
        String ns = claims.namespace() == null ? "default" : claims.namespace();
        Config asToken = new ConfigBuilder(Config.empty()).withMasterUrl(cluster.getMasterUrl()).withCaCertData(cluster.getCaCertData())
                .withCaCertFile(cluster.getCaCertFile()).withTrustCerts(cluster.isTrustCerts()).withOauthToken(token)
                .withRequestRetryBackoffLimit(0).withNamespace(ns).build();
        try (KubernetesClient k = new KubernetesClientBuilder().withConfig(asToken).build()) {
            SelfSubjectRulesReview asked = new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(ns).endSpec().build();
            SubjectRulesReviewStatus st = k.authorization().v1().selfSubjectRulesReview().create(asked).getStatus();
            if (st == null) return new TokenAccess(ns, List.of(), List.of(), true, "the API server returned no status");
            List<ResourceRule> rules = st.getResourceRules() == null ? List.of() : st.getResourceRules();
            List<String> shown = rules.stream().map(TokenAccess::describe).toList();
            boolean incomplete = Boolean.TRUE.equals(st.getIncomplete());
            String err = st.getEvaluationError() == null || st.getEvaluationError().isBlank() ? null : st.getEvaluationError();
            return new TokenAccess(ns, abilities(rules, ns), shown, incomplete, err);
        } catch (KubernetesClientException e) {
            String why = switch (e.getCode()) {
                case 401 -> "the API server rejected the token (401): expired, revoked, or from another cluster";
                case 403 -> "the token may not even review its own rules (403)";
                default -> "the review failed: " + firstLine(e.getMessage());
            };
            return new TokenAccess(ns, List.of(), List.of(), false, why);
        }
    }

    /** The abilities an intruder holding the token gains, one sentence each. */
    static List<String> abilities(List<ResourceRule> rules, String ns) {
        List<String> out = new ArrayList<>();
        if (allows(rules, "*", "*", "*")) out.add("may do anything to every resource (cluster-admin-like) in namespace " + ns);
        List<String> secretNames = names(rules, "", "secrets", "get");
        if (allows(rules, "", "secrets", "list") || secretNames != null && secretNames.isEmpty())
            out.add("could read every secret in namespace " + ns);
        else if (secretNames != null) out.add("could read the secrets " + String.join(", ", secretNames) + " in namespace " + ns);
        if (allows(rules, "", "pods/exec", "create")) out.add("could run commands in any pod of namespace " + ns + " (pods/exec)");
        if (allows(rules, "", "pods", "create")) out.add("could start pods in namespace " + ns + " (e.g. privileged, mounting the node's filesystem)");
        if (allows(rules, "", "nodes/proxy", "get") || allows(rules, "", "nodes/proxy", "create"))
            out.add("could reach the kubelet API through nodes/proxy (commands in any pod of a node)");
        for (String r : List.of("roles", "clusterroles")) {
            if (allows(rules, "rbac.authorization.k8s.io", r, "escalate")) out.add("could escalate " + r + " beyond its own permissions (RBAC escalate)");
            if (allows(rules, "rbac.authorization.k8s.io", r, "bind")) out.add("could bind " + r + " it does not hold (RBAC bind)");
        }
        for (String r : List.of("rolebindings", "clusterrolebindings"))
            if (allows(rules, "rbac.authorization.k8s.io", r, "create")) out.add("could grant roles by creating " + r);
        for (String r : List.of("users", "groups", "serviceaccounts"))
            if (allows(rules, "", r, "impersonate")) out.add("could impersonate " + r);
        if (allows(rules, "", "serviceaccounts/token", "create")) out.add("could mint tokens for other service accounts in namespace " + ns);
        return out;
    }

    /** Whether some rule grants the verb on every object of the resource (no resourceNames restriction). */
    static boolean allows(List<ResourceRule> rules, String group, String resource, String verb) {
        for (ResourceRule r : rules) if (matches(r, group, resource, verb) && empty(r.getResourceNames())) return true;
        return false;
    }

    /** The names a verb is restricted to (empty: all), or null when no rule grants it. */
    private static List<String> names(List<ResourceRule> rules, String group, String resource, String verb) {
        List<String> out = null;
        for (ResourceRule r : rules) {
            if (!matches(r, group, resource, verb)) continue;
            if (empty(r.getResourceNames())) return List.of();
            if (out == null) out = new ArrayList<>();
            out.addAll(r.getResourceNames());
        }
        return out;
    }

    private static boolean matches(ResourceRule r, String group, String resource, String verb) {
        return has(r.getApiGroups(), group) && has(r.getVerbs(), verb) && (has(r.getResources(), resource)
                || resource.contains("/") && has(r.getResources(), resource.substring(0, resource.indexOf('/')) + "/*"));
    }

    private static boolean has(List<String> values, String v) {
        return values != null && (values.contains(v) || values.contains("*"));
    }

    private static boolean empty(List<String> l) {
        return l == null || l.isEmpty();
    }

    static String describe(ResourceRule r) {
        List<String> groups = r.getApiGroups() == null ? List.of() : r.getApiGroups();
        String g = groups.isEmpty() ? "" : groups.stream().map(x -> x.isEmpty() ? "core" : x).reduce((a, b) -> a + "," + b).orElse("");
        return String.join(",", r.getVerbs()) + " on " + (g.isEmpty() ? "" : g + "/") + String.join(",", r.getResources() == null ? List.of() : r.getResources())
                + (empty(r.getResourceNames()) ? "" : " " + r.getResourceNames());
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Sentences for the text report, starting with the identity and the process holding the token. */
    List<String> summary(Credential c) {
        if (error != null) return List.of(error);
        List<String> out = new ArrayList<>();
        String who = c.claims() == null ? c.identity() : c.claims().identity();
        if (abilities.isEmpty()) out.add("the token in pid " + c.pid() + "'s memory (" + who + ") has no dangerous permission in namespace " + namespace);
        for (String a : abilities) out.add("the token in pid " + c.pid() + "'s memory (" + who + ") " + a);
        if (incomplete) out.add("(the API server says this list may be incomplete)");
        return out;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", namespace);
        m.put("abilities", abilities);
        m.put("rules", rules);
        m.put("incomplete", incomplete);
        m.put("error", error);
        return m;
    }
}
