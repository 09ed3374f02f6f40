package dev.stasis.cli.memory;

import dev.stasis.memory.artefacts.Credential;
import dev.stasis.memory.artefacts.ServiceAccountClaims;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
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
 * kubeconfig for it, never its credentials. The rules are then read for the
 * abilities that matter to an intruder.
 *
 * <p>When the rules review is incomplete (an authorizer such as a webhook cannot
 * enumerate rules) or forbidden, each ability that matters is asked of the
 * cluster one by one with a SubjectAccessReview (authorization.k8s.io/v1),
 * sent with the kubeconfig's own credentials (the analyst's: a service account
 * may not review others) for the token's user
 * {@code system:serviceaccount:NS:NAME} and its groups. Each ability says which
 * review answered it.
 *
 * @param namespace the namespace reviewed
 * @param abilities one per dangerous ability, empty when none
 * @param rules     every resource rule as "verbs on group/resources[names]"
 * @param checks    the SubjectAccessReview answers, empty when none were asked
 * @param incomplete the server said the rules list may be incomplete (an authorizer that cannot enumerate)
 * @param error     why no review could be made (the token was rejected, the server unreachable), else null
 */
record TokenAccess(String namespace, List<Ability> abilities, List<String> rules, List<Check> checks, boolean incomplete, String error) {
    static final String RULES_REVIEW = "SelfSubjectRulesReview", ACCESS_REVIEW = "SubjectAccessReview";

    /** A dangerous ability and the review that established it. */
    record Ability(String text, String via) {}

    /** One SubjectAccessReview question (namespace null: cluster-wide) and the answer. */
    record Check(String verb, String group, String resource, String subresource, String namespace, boolean allowed, String reason) {
        String describe() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (subresource.isEmpty() ? "" : "/" + subresource)
                    + (namespace == null ? " (cluster-wide)" : " in " + namespace) + ": " + (allowed ? "allowed" : "denied")
                    + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("verb", verb);
            m.put("group", group);
            m.put("resource", resource);
            m.put("subresource", subresource);
            m.put("namespace", namespace);
            m.put("allowed", allowed);
            m.put("reason", reason);
            m.put("via", ACCESS_REVIEW);
            return m;
        }
    }

    /** A question worth asking one by one, and the sentence a yes means. */
    private record Question(String verb, String group, String resource, String subresource, boolean namespaced, String sentence) {}

    /** The verbs that matter (issue 18): secrets, pods/exec, creating pods, nodes/proxy, RBAC escalation, impersonation. */
    private static List<Question> questions(String ns) {
        String rbac = "rbac.authorization.k8s.io";
        return List.of(
                new Question("list", "", "secrets", "", true, "could read every secret in namespace " + ns),
                new Question("get", "", "secrets", "", true, "could read any secret of namespace " + ns + " by name"),
                new Question("list", "", "secrets", "", false, "could read every secret in every namespace"),
                new Question("get", "", "secrets", "", false, "could read any secret of any namespace by name"),
                new Question("create", "", "pods", "exec", true, "could run commands in any pod of namespace " + ns + " (pods/exec)"),
                new Question("create", "", "pods", "", true, "could start pods in namespace " + ns + " (e.g. privileged, mounting the node's filesystem)"),
                new Question("get", "", "nodes", "proxy", false, "could reach the kubelet API through nodes/proxy (commands in any pod of a node)"),
                new Question("escalate", rbac, "roles", "", true, "could escalate roles beyond its own permissions (RBAC escalate)"),
                new Question("bind", rbac, "roles", "", true, "could bind roles it does not hold (RBAC bind)"),
                new Question("escalate", rbac, "clusterroles", "", false, "could escalate clusterroles beyond its own permissions (RBAC escalate)"),
                new Question("bind", rbac, "clusterroles", "", false, "could bind clusterroles it does not hold (RBAC bind)"),
                new Question("impersonate", "", "users", "", false, "could impersonate users"),
                new Question("impersonate", "", "groups", "", false, "could impersonate groups"),
                new Question("impersonate", "", "serviceaccounts", "", true, "could impersonate serviceaccounts"));
    }

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
        TokenAccess byRules;
        try (KubernetesClient k = new KubernetesClientBuilder().withConfig(asToken).build()) {
            SelfSubjectRulesReview asked = new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(ns).endSpec().build();
            SubjectRulesReviewStatus st = k.authorization().v1().selfSubjectRulesReview().create(asked).getStatus();
            if (st == null) {
                byRules = new TokenAccess(ns, List.of(), List.of(), List.of(), true, "the API server returned no status");
            } else {
                List<ResourceRule> rules = st.getResourceRules() == null ? List.of() : st.getResourceRules();
                List<String> shown = rules.stream().map(TokenAccess::describe).toList();
                boolean incomplete = Boolean.TRUE.equals(st.getIncomplete());
                String err = st.getEvaluationError() == null || st.getEvaluationError().isBlank() ? null : st.getEvaluationError();
                List<Ability> found = abilities(rules, ns).stream().map(a -> new Ability(a, RULES_REVIEW)).toList();
                byRules = new TokenAccess(ns, found, shown, List.of(), incomplete, err);
            }
        } catch (KubernetesClientException e) {
            String why = switch (e.getCode()) {
                case 401 -> "the API server rejected the token (401): expired, revoked, or from another cluster";
                case 403 -> "the token may not even review its own rules (403)";
                default -> "the review failed: " + firstLine(e.getMessage());
            };
            if (e.getCode() != 403) return new TokenAccess(ns, List.of(), List.of(), List.of(), false, why);
            byRules = new TokenAccess(ns, List.of(), List.of(), List.of(), true, why);
        }
        if (!byRules.incomplete() || claims.serviceAccount() == null) return byRules;
        return byRules.askedOneByOne(cluster, "system:serviceaccount:" + ns + ":" + claims.serviceAccount(),
                List.of("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"));
    }

    /**
     * This review completed by SubjectAccessReviews for the questions that matter, asked with the
     * kubeconfig's own credentials about {@code user} in {@code groups}. Abilities the rules already
     * showed keep their source; a failed SubjectAccessReview leaves the review as it was, saying why.
     */
    private TokenAccess askedOneByOne(Config cluster, String user, List<String> groups) {
        Config analyst = new ConfigBuilder(cluster).withRequestRetryBackoffLimit(0).build();
        List<Check> asked = new ArrayList<>();
        List<Ability> found = new ArrayList<>(abilities);
        try (KubernetesClient k = new KubernetesClientBuilder().withConfig(analyst).build()) {
            for (Question q : questions(namespace)) {
                String where = q.namespaced() ? namespace : null;
                SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec().withUser(user).withGroups(groups)
                        .withNewResourceAttributes().withNamespace(where).withVerb(q.verb()).withGroup(q.group()).withResource(q.resource())
                        .withSubresource(q.subresource()).endResourceAttributes().endSpec().build();
                SubjectAccessReviewStatus st = k.authorization().v1().subjectAccessReview().create(review).getStatus();
                boolean allowed = st != null && Boolean.TRUE.equals(st.getAllowed());
                asked.add(new Check(q.verb(), q.group(), q.resource(), q.subresource(), where, allowed, st == null ? null : st.getReason()));
                if (allowed && found.stream().noneMatch(a -> a.text().equals(q.sentence()))) found.add(new Ability(q.sentence(), ACCESS_REVIEW));
            }
        } catch (KubernetesClientException e) {
            String why = (error == null ? "" : error + "; ") + "the SubjectAccessReview with the kubeconfig's credentials failed"
                    + (e.getCode() > 0 ? " (" + e.getCode() + ")" : "") + ": " + firstLine(e.getMessage());
            return new TokenAccess(namespace, abilities, rules, List.copyOf(asked), incomplete, why);
        }
        // every ability that matters was asked: the list is complete for them whatever the rules review said
        return new TokenAccess(namespace, found, rules, asked, false, null);
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
        if (error != null && abilities.isEmpty()) return List.of(error);
        List<String> out = new ArrayList<>();
        String who = c.claims() == null ? c.identity() : c.claims().identity();
        if (abilities.isEmpty()) out.add("the token in pid " + c.pid() + "'s memory (" + who + ") has no dangerous permission in namespace " + namespace
                + (checks.isEmpty() ? "" : " (" + ACCESS_REVIEW + ")"));
        for (Ability a : abilities) out.add("the token in pid " + c.pid() + "'s memory (" + who + ") " + a.text() + " (" + a.via() + ")");
        if (incomplete) out.add("(the API server says this list may be incomplete)");
        if (error != null) out.add(error);
        return out;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", namespace);
        List<Map<String, Object>> as = new ArrayList<>();
        for (Ability a : abilities) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("ability", a.text());
            x.put("via", a.via());
            as.add(x);
        }
        m.put("abilities", as);
        m.put("rules", rules);
        m.put("checks", checks.stream().map(Check::json).toList());
        m.put("incomplete", incomplete);
        m.put("error", error);
        return m;
    }
}
