package dev.stasis.response.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Kubernetes document under deploy/, read with the fabric8 model (what the
 * API server's schema says, not our own reading), checked for the security
 * properties a reviewer asks for.
 */
class DeployManifestsTest {
    static final Path DEPLOY = Path.of(System.getProperty("stasis.root", "../")).resolve("deploy");
    /** The Kustomize base: the manifests themselves (overlays and Argo's kinds: DeployOverlaysTest). */
    static final Path BASE = DEPLOY.resolve("base");
    static final String ENGINE_SA = "system:serviceaccount:stasis:stasis-engine";
    /** Containers allowed to run as root, and the capabilities each may add (with the reason in its manifest). */
    static final Map<String, Set<String>> ROOT_CONTAINERS = Map.of("stasis-agent/agent", Set.of());
    static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "secret", "emptyDir", "projected", "persistentVolumeClaim", "downwardAPI", "csi", "ephemeral");

    static final List<HasMetadata> objects = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        KubernetesSerialization k8s = new KubernetesSerialization();
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList()) {
                for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
                    if (!Pattern.compile("(?m)^kind:").matcher(doc).find()) continue;   // Helm values, comments
                    // a custom resource (the ServiceMonitor) has no typed model here: DeployOverlaysTest reads it
                    if (Pattern.compile("(?m)^apiVersion: monitoring\\.coreos\\.com/").matcher(doc).find()) continue;
                    Object o = k8s.unmarshal(doc);
                    assertThat(o).as(f + ": a typed Kubernetes object, not a generic one (apiVersion/kind right)")
                            .isInstanceOf(HasMetadata.class)
                            .isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
                    assertNoUnknownFields(o, f + " " + ((HasMetadata) o).getKind() + "/" + ((HasMetadata) o).getMetadata().getName(), new IdentityHashMap<>());
                    objects.add((HasMetadata) o);
                }
            }
        }
    }

    <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void everyFileParsesAndHoldsTheExpectedObjects() {
        assertThat(objects).hasSizeGreaterThan(15);
        assertThat(all(Deployment.class)).extracting(d -> d.getMetadata().getName()).containsExactly("stasis-engine");
        assertThat(all(DaemonSet.class)).extracting(d -> d.getMetadata().getNamespace()).containsExactly("stasis-agent");
    }

    @Test
    void noWildcardsInRbac() {
        List<PolicyRule> rules = new ArrayList<>();
        all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        all(Role.class).forEach(r -> rules.addAll(r.getRules()));
        assertThat(rules).isNotEmpty();
        for (PolicyRule r : rules) {
            for (List<String> l : List.of(r.getVerbs(), r.getResources(), r.getApiGroups(), nonNull(r.getResourceNames()), nonNull(r.getNonResourceURLs())))
                assertThat(l).as(r.toString()).noneMatch(s -> s.contains("*"));
            assertThat(r.getVerbs()).as("no escalation verbs").doesNotContain("escalate", "bind", "impersonate");
        }
        assertThat(all(ClusterRole.class)).allSatisfy(r -> assertThat(r.getAggregationRule()).isNull());
    }

    @Test
    void writesToPodsAndNetworkPoliciesAreFencedByAdmissionPolicies() {
        for (ClusterRoleBinding b : all(ClusterRoleBinding.class)) {
            ClusterRole role = all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(b.getRoleRef().getName())).findFirst().orElseThrow();
            for (Subject s : b.getSubjects()) {
                String user = "system:serviceaccount:" + s.getNamespace() + ":" + s.getName();
                for (PolicyRule r : role.getRules()) {
                    if (grants(r, "", "pods", "patch", "update"))
                        assertThat(fencedFor(user, "", "pods", "UPDATE")).as(user + " patches pods cluster-wide: needs a binding VAP").isPresent()
                                .get().satisfies(vap -> assertThat(expressions(vap)).anyMatch(e -> e.contains("object.spec == oldObject.spec"))
                                        .anyMatch(e -> e.contains("startsWith('stasis.dev/')")));
                    if (grants(r, "networking.k8s.io", "networkpolicies", "create", "update")) {
                        assertThat(fencedFor(user, "networking.k8s.io", "networkpolicies", "CREATE")).as(user + " creates NetworkPolicies").isPresent()
                                .get().satisfies(vap -> assertThat(expressions(vap)).anyMatch(e -> e.contains("startsWith('stasis-isolate-')")));
                        assertThat(fencedFor(user, "networking.k8s.io", "networkpolicies", "UPDATE")).as(user + " updates NetworkPolicies").isPresent();
                    }
                    assertThat(grants(r, "networking.k8s.io", "networkpolicies", "delete", "patch", "deletecollection")).isFalse();
                    assertThat(grants(r, "", "pods", "create", "delete", "deletecollection")).as("no pod creation or deletion").isFalse();
                    assertThat(r.getResources()).as("no exec, attach, proxy, secrets").doesNotContain("pods/exec", "pods/attach", "nodes/proxy", "secrets", "pods/ephemeralcontainers");
                }
            }
        }
        // the bound roles are the engine's and the agent's; the proxy role exists but is bound to nobody
        assertThat(all(ClusterRoleBinding.class)).extracting(b -> b.getRoleRef().getName()).containsExactlyInAnyOrder("stasis-engine", "stasis-agent-tokenreview");
        assertThat(all(RoleBinding.class)).isEmpty();
    }

    /** A VAP whose binding denies, matching this user, resource and operation, failing closed. */
    Optional<ValidatingAdmissionPolicy> fencedFor(String user, String group, String resource, String operation) {
        return all(ValidatingAdmissionPolicy.class).stream()
                .filter(v -> "Fail".equals(v.getSpec().getFailurePolicy()))
                .filter(v -> v.getSpec().getMatchConstraints().getResourceRules().stream().anyMatch(rr ->
                        rr.getApiGroups().contains(group) && rr.getResources().contains(resource) && rr.getOperations().contains(operation)))
                .filter(v -> v.getSpec().getMatchConditions().stream().allMatch(c -> c.getExpression().contains("'" + user + "'")))
                .filter(v -> all(ValidatingAdmissionPolicyBinding.class).stream().anyMatch(b -> b.getSpec().getPolicyName().equals(v.getMetadata().getName())
                        && b.getSpec().getValidationActions().contains("Deny")))
                .findFirst();
    }

    static List<String> expressions(ValidatingAdmissionPolicy v) {
        return v.getSpec().getValidations().stream().map(x -> x.getExpression()).toList();
    }

    static boolean grants(PolicyRule r, String group, String resource, String... verbs) {
        return r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().stream().anyMatch(List.of(verbs)::contains);
    }

    @Test
    void onlyTheAgentsNamespaceIsPrivilegedAndTheEnginesIsRestricted() {
        Map<String, String> enforce = new java.util.HashMap<>();
        for (Namespace n : all(Namespace.class)) enforce.put(n.getMetadata().getName(), n.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
        assertThat(enforce).containsExactlyInAnyOrderEntriesOf(Map.of("stasis", "restricted", "stasis-agent", "privileged"));
        // nothing but the agent's DaemonSet (and its secret and policy) lives in the privileged namespace
        assertThat(objects).filteredOn(o -> "stasis-agent".equals(o.getMetadata().getNamespace()))
                .allMatch(o -> o instanceof DaemonSet || o instanceof Secret || o instanceof ServiceAccount
                        || o instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy);
    }

    @Test
    void everyContainerIsLockedDown() {
        Set<String> boundAccounts = new java.util.HashSet<>();
        all(ClusterRoleBinding.class).forEach(b -> b.getSubjects().forEach(s -> boundAccounts.add(s.getNamespace() + "/" + s.getName())));
        List<String> checked = new ArrayList<>();
        for (HasMetadata o : objects) {
            PodSpec spec = o instanceof Deployment d ? d.getSpec().getTemplate().getSpec() : o instanceof DaemonSet ds ? ds.getSpec().getTemplate().getSpec() : null;
            if (spec == null) continue;
            String ns = o.getMetadata().getNamespace();
            PodSecurityContext pod = Objects.requireNonNullElse(spec.getSecurityContext(), new PodSecurityContext());
            // a token only where the pod calls the API server with RBAC it was given
            String sa = ns + "/" + spec.getServiceAccountName();
            if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken()))
                assertThat(boundAccounts).as(o.getMetadata().getName() + " mounts a token without needing one").contains(sa);
            assertThat(spec.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            assertThat(spec.getHostPID()).isNotEqualTo(Boolean.TRUE);
            assertThat(spec.getHostIPC()).isNotEqualTo(Boolean.TRUE);
            for (Container c : spec.getContainers()) {
                String name = ns + "/" + c.getName();
                checked.add(name);
                SecurityContext sc = c.getSecurityContext();
                assertThat(sc).as(name).isNotNull();
                assertThat(sc.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
                assertThat(sc.getAllowPrivilegeEscalation()).as(name + " allowPrivilegeEscalation").isFalse();
                assertThat(sc.getReadOnlyRootFilesystem()).as(name + " readOnlyRootFilesystem").isTrue();
                var seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : pod.getSeccompProfile();
                assertThat(seccomp).as(name + " seccompProfile").isNotNull();
                assertThat(seccomp.getType()).as(name).isIn("RuntimeDefault", "Localhost");
                Capabilities caps = sc.getCapabilities();
                assertThat(caps).as(name).isNotNull();
                assertThat(caps.getDrop()).as(name + " drops ALL").contains("ALL");
                boolean root = ROOT_CONTAINERS.containsKey(name);
                assertThat(nonNull(caps.getAdd())).as(name + " adds only justified capabilities")
                        .isSubsetOf(root ? ROOT_CONTAINERS.get(name) : Set.of("NET_BIND_SERVICE"));
                Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : pod.getRunAsNonRoot();
                Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : pod.getRunAsUser();
                if (!root) {
                    assertThat(nonRoot).as(name + " runAsNonRoot").isTrue();
                    assertThat(uid).as(name + " uid").isNotNull().isNotZero();
                }
                if ("stasis".equals(ns)) {   // Pod Security "restricted", checked here as the admission controller would
                    assertThat(c.getPorts()).as(name).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
                    for (Volume v : spec.getVolumes())
                        assertThat(volumeType(v)).as(name + " volume " + v.getName()).isIn(RESTRICTED_VOLUMES);
                }
            }
        }
        assertThat(checked).containsExactlyInAnyOrder("stasis/engine", "stasis-agent/agent");
        assertThat(all(ServiceAccount.class)).allSatisfy(s -> assertThat(s.getAutomountServiceAccountToken()).as(s.getMetadata().getName()).isFalse());
    }

    @Test
    void theAgentListensOnItsPodAddressOverTlsAndChecksTokensWithTokenReview() {
        Container agent = all(DaemonSet.class).getFirst().getSpec().getTemplate().getSpec().getContainers().getFirst();
        List<String> args = agent.getArgs();
        assertThat(args).contains("--token-review", "--tls-cert", "--tls-key").doesNotContain("--insecure-http", "--insecure-no-auth", "--token-file");
        assertThat(args.get(args.indexOf("--listen") + 1)).doesNotStartWith("0.0.0.0").startsWith("$(POD_IP)");
        assertThat(args.get(args.indexOf("--allow-identity") + 1)).isEqualTo(ENGINE_SA);
        // the engine presents a token bound to the agents' audience, and talks TLS to them
        Deployment engine = all(Deployment.class).getFirst();
        assertThat(engine.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getProjected()).isNotNull()
                .satisfies(p -> assertThat(p.getSources()).anySatisfy(s -> assertThat(s.getServiceAccountToken().getAudience()).isEqualTo("stasis-agent"))));
        String config = all(io.fabric8.kubernetes.api.model.ConfigMap.class).getFirst().getData().get("stasis.yaml");
        assertThat(config).contains("agentTls: true").contains("agentTokenFile: /var/run/secrets/stasis/agent/token");
    }

    @Test
    void secretsInTheManifestsAreObviousPlaceholdersAndTheReadmeSaysHowToMakeThem() throws IOException {
        Pattern placeholder = Pattern.compile("REPLACE-WITH-");
        for (Secret s : all(Secret.class)) {
            for (var e : nonNull(s.getStringData()).entrySet()) {
                boolean credential = e.getKey().matches("(?i).*(token|secret|password|key_id|access_key).*");
                if (credential) assertThat(e.getValue()).as(s.getMetadata().getName() + "." + e.getKey()).containsPattern(placeholder);
            }
            assertThat(s.getData()).as("no base64 data that could hide a real secret").isNullOrEmpty();
        }
        String values = Files.readString(DEPLOY.resolve("falcosidekick-values.yaml"));
        assertThat(values).containsPattern("Bearer REPLACE-WITH-");
        String readme = Files.readString(DEPLOY.resolve("README.md"));
        assertThat(readme).contains("openssl rand -hex 32").contains("stasis-alert-auth").contains("stasis-agent-tls");
    }

    static String volumeType(Volume v) {
        if (v.getConfigMap() != null) return "configMap";
        if (v.getSecret() != null) return "secret";
        if (v.getEmptyDir() != null) return "emptyDir";
        if (v.getProjected() != null) return "projected";
        if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (v.getDownwardAPI() != null) return "downwardAPI";
        if (v.getCsi() != null) return "csi";
        if (v.getEphemeral() != null) return "ephemeral";
        if (v.getHostPath() != null) return "hostPath";
        return "other";
    }

    static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }

    static <K, V> Map<K, V> nonNull(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    /** A misspelt field (seccompProfle) lands in additionalProperties: fail on it, anywhere in the tree. */
    static void assertNoUnknownFields(Object o, String where, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null) return;
        if (o instanceof Collection<?> c) {
            c.forEach(x -> assertNoUnknownFields(x, where, seen));
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.values().forEach(x -> assertNoUnknownFields(x, where, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || !g.getName().startsWith("get") || g.getName().equals("getClass")) continue;
            Object v;
            try {
                v = g.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (g.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) v).as(where + ": unknown fields in " + o.getClass().getSimpleName()).isNullOrEmpty();
            } else {
                assertNoUnknownFields(v, where, seen);
            }
        }
    }
}
