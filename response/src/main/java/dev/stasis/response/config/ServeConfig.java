package dev.stasis.response.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code stasis serve}'s configuration (stasis.yaml). Relative paths are
 * resolved against the file's directory.
 *
 * @param listen          address and port to listen on
 * @param maxBodyBytes    larger bodies are refused with 413
 * @param ratePerSecond   accepted alerts per second before 429 (0: unlimited)
 * @param auth            how callers prove who they are
 * @param tls             server certificate (and client CA for mTLS), or null for plain HTTP
 * @param policy          the policy file
 * @param stateDir        where the journal lives
 * @param vault           the evidence vault's root
 * @param retry           retries of failed actions
 * @param defaultBackend  checkpoint backend when an action names none
 * @param podman          the podman backend, or null when disabled
 * @param kubelet         the kubelet backend, or null when disabled
 * @param maxConcurrentCheckpoints checkpoints (podman processes, kubelet requests) running at once; more wait their turn
 * @param store           the PostgreSQL store replicas share, or null for the single-replica journal in {@code stateDir}
 * @param argo            {@code executor: argo}: accepted alerts are handed to Argo Workflows; null runs the actions in-process
 */
public record ServeConfig(InetSocketAddress listen, long maxBodyBytes, int ratePerSecond, Auth auth, Tls tls, Path policy, Path stateDir,
                          Path vault, RetrySettings retry, String defaultBackend, Podman podman, Kubelet kubelet, int maxConcurrentCheckpoints,
                          Store store, Argo argo) {

    /** Checkpoints running at once when the configuration does not say: CRIU dumps are CPU- and disk-heavy. */
    public static final int DEFAULT_MAX_CONCURRENT_CHECKPOINTS = 3;

    /** Authentication of alert senders. */
    public record Auth(Mode mode, Supplier<String> token, Supplier<String> hmacSecret, String hmacHeader, String hmacTimestampHeader,
                       Duration hmacMaxSkew, List<String> allowedClients) {
        public enum Mode { BEARER, HMAC, MTLS, NONE }
    }

    /** PEM files: certificate chain, PKCS#8 key, and the CA that signs client certificates (mTLS). */
    public record Tls(Path cert, Path key, Path clientCa) {}

    public record RetrySettings(int maxAttempts, Duration base, Duration max) {}

    public record Podman(String command, Path exportDir) {}

    /**
     * Several replicas sharing their alerts and cool-downs in PostgreSQL ({@code store:} in stasis.yaml).
     *
     * @param url      {@code jdbc:postgresql://HOST[:PORT]/DB}
     * @param password read once at start, or null
     * @param lease    how long a replica's unfinished alerts stay its own without a heartbeat
     * @param replica  this process's name in the store: unique per start
     */
    public record Store(String url, String user, Supplier<String> password, Duration lease, String replica) {}

    /**
     * {@code executor: {kind: argo, ...}} in stasis.yaml: each alert the policy acts on becomes one workflow, submitted
     * through the Argo Server's API ({@code POST /api/v1/workflows/{namespace}/submit}).
     *
     * @param server           the Argo Server's URL ({@code https://argo-server.argo:2746})
     * @param namespace        where the WorkflowTemplate lives and the workflows run
     * @param workflowTemplate the WorkflowTemplate's name (deploy/argo: {@code stasis-respond})
     * @param token            bearer token (re-read per request: a service-account token rotates)
     * @param caFile           the CA of the server's certificate (PEM), or null for the JVM's trust store
     */
    public record Argo(java.net.URI server, String namespace, String workflowTemplate, Supplier<String> token, Path caFile) {}

    /**
     * @param mode       {@code direct} (kubelet :10250) or {@code proxy} (API server node proxy)
     * @param port       kubelet port
     * @param token      service account token (re-read per call)
     * @param caFile     CA of the kubelets' serving certificates (direct) or of the API server (proxy)
     * @param agentPort  port of {@code stasis agent} on each node
     * @param agentToken bearer token for the agent
     * @param agentTls   agents serve HTTPS
     */
    public record Kubelet(String mode, int port, Supplier<String> token, Path caFile, int agentPort, Supplier<String> agentToken, boolean agentTls) {}

    public static final String DEFAULT_HMAC_HEADER = "X-Stasis-Signature";

    public static ServeConfig load(Path file) {
        Path base = file.toAbsolutePath().getParent();
        JsonNode n = Yaml.read(file);
        Yaml.keys(n, "", Set.of("listen", "maxBodyBytes", "rateLimit", "auth", "tls", "policy", "stateDir", "vault", "retry", "defaultBackend",
                "podman", "kubelet", "checkpoint", "store", "executor"));
        InetSocketAddress listen = address(Yaml.str(n, "listen", "127.0.0.1:8765"));
        long max = Yaml.longValue(n, "maxBodyBytes", 1 << 20, "");
        if (max < 1024) throw new ConfigException("maxBodyBytes must be at least 1024");
        int rate = Yaml.integer(n, "rateLimit", 0, "");
        JsonNode a = n.path("auth");
        if (a.isMissingNode()) throw new ConfigException("auth is required: mode bearer, hmac or mtls (or 'mode: none' to accept anyone, deliberately)");
        Yaml.keys(a, "auth", Set.of("mode", "token", "tokenFile", "secret", "secretFile", "header", "timestampHeader", "maxSkew", "allowedClients"));
        String m = Yaml.str(a, "mode", null);
        if (m == null) throw new ConfigException("auth.mode is required: bearer, hmac, mtls or none");
        Auth.Mode mode = switch (m) {
            case "bearer" -> Auth.Mode.BEARER;
            case "hmac" -> Auth.Mode.HMAC;
            case "mtls" -> Auth.Mode.MTLS;
            case "none" -> Auth.Mode.NONE;
            default -> throw new ConfigException("auth.mode: unknown '" + m + "' (bearer, hmac, mtls, none)");
        };
        Supplier<String> token = Yaml.secret(a, "token", base, "auth: ");
        Supplier<String> secret = Yaml.secret(a, "secret", base, "auth: ");
        if (mode == Auth.Mode.BEARER && token == null) throw new ConfigException("auth: mode bearer needs token or tokenFile");
        if (mode == Auth.Mode.HMAC && secret == null) throw new ConfigException("auth: mode hmac needs secret or secretFile");
        if (mode == Auth.Mode.BEARER) usable(file, a, "auth.", "token", token);
        if (mode == Auth.Mode.HMAC) usable(file, a, "auth.", "secret", secret);
        List<String> allowed = a.has("allowedClients") ? java.util.stream.StreamSupport.stream(a.get("allowedClients").spliterator(), false)
                .map(JsonNode::asText).toList() : List.of();
        Duration skew = Yaml.duration(a, "maxSkew", dev.stasis.response.server.Authenticator.Hmac.DEFAULT_MAX_SKEW, "auth.");
        if (skew.isZero() || skew.isNegative()) throw new ConfigException(file + ": auth.maxSkew must be positive");
        Auth auth = new Auth(mode, token, secret, Yaml.str(a, "header", DEFAULT_HMAC_HEADER),
                Yaml.str(a, "timestampHeader", dev.stasis.response.server.Authenticator.Hmac.DEFAULT_TIMESTAMP_HEADER), skew, allowed);
        Tls tls = null;
        JsonNode t = n.path("tls");
        if (!t.isMissingNode() && !t.isNull()) {
            Yaml.keys(t, "tls", Set.of("cert", "key", "clientCa"));
            tls = new Tls(Yaml.path(t, "cert", base, null), Yaml.path(t, "key", base, null), Yaml.path(t, "clientCa", base, null));
            if (tls.cert() == null || tls.key() == null) throw new ConfigException("tls needs cert and key (PEM files)");
        }
        if (mode == Auth.Mode.MTLS && (tls == null || tls.clientCa() == null)) throw new ConfigException("auth: mode mtls needs tls.cert, tls.key and tls.clientCa");
        Path policy = Yaml.path(n, "policy", base, null);
        if (policy == null) throw new ConfigException("policy is required: the policy file");
        Path state = Yaml.path(n, "stateDir", base, base.resolve("state"));
        Path vault = Yaml.path(n, "vault", base, null);
        if (vault == null) vault = dev.stasis.evidence.VaultConfig.defaultRoot();
        JsonNode r = n.path("retry");
        Yaml.keys(r, "retry", Set.of("maxAttempts", "base", "max"));
        RetrySettings retry = new RetrySettings(Yaml.integer(r, "maxAttempts", 5, "retry."), Yaml.duration(r, "base", Duration.ofSeconds(1), "retry."),
                Yaml.duration(r, "max", Duration.ofSeconds(30), "retry."));
        if (retry.maxAttempts() < 1) throw new ConfigException("retry.maxAttempts must be at least 1");
        Podman podman = null;
        JsonNode p = n.path("podman");
        if (!p.isMissingNode() && !p.isNull()) {
            Yaml.keys(p, "podman", Set.of("command", "exportDir"));
            podman = new Podman(Yaml.str(p, "command", "podman"), Yaml.path(p, "exportDir", base, state.resolve("checkpoints")));
        }
        Kubelet kubelet = null;
        JsonNode k = n.path("kubelet");
        if (!k.isMissingNode() && !k.isNull()) {
            Yaml.keys(k, "kubelet", Set.of("mode", "port", "token", "tokenFile", "caFile", "agentPort", "agentToken", "agentTokenFile", "agentTls"));
            String km = Yaml.str(k, "mode", "direct");
            if (!km.equals("direct") && !km.equals("proxy")) throw new ConfigException("kubelet.mode: direct or proxy");
            Supplier<String> kt = Yaml.secret(k, "token", base, "kubelet: ");
            if (kt == null) {
                Path sa = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");
                kt = () -> {
                    try {
                        return java.nio.file.Files.readString(sa).strip();
                    } catch (java.io.IOException e) {
                        throw new ConfigException("no kubelet token: set kubelet.tokenFile (no service account token at " + sa + ")");
                    }
                };
            }
            Supplier<String> agentToken = Yaml.secret(k, "agentToken", base, "kubelet: ");
            if (agentToken != null) usable(file, k, "kubelet.", "agentToken", agentToken);
            if (k.has("tokenFile") || k.has("token")) usable(file, k, "kubelet.", "token", kt);
            kubelet = new Kubelet(km, Yaml.integer(k, "port", 10250, "kubelet."), kt, Yaml.path(k, "caFile", base, null),
                    Yaml.integer(k, "agentPort", 10251, "kubelet."), agentToken, Yaml.bool(k, "agentTls", false, "kubelet."));
        }
        if (podman == null && kubelet == null) throw new ConfigException("configure a checkpoint backend: 'podman:' and/or 'kubelet:'");
        String dflt = Yaml.str(n, "defaultBackend", kubelet != null ? "kubelet" : "podman");
        if (dflt.equals("podman") && podman == null || dflt.equals("kubelet") && kubelet == null || !Set.of("podman", "kubelet").contains(dflt))
            throw new ConfigException("defaultBackend '" + dflt + "' is not configured");
        JsonNode c = n.path("checkpoint");
        Yaml.keys(c, "checkpoint", Set.of("maxConcurrent"));
        int concurrent = Yaml.integer(c, "maxConcurrent", DEFAULT_MAX_CONCURRENT_CHECKPOINTS, "checkpoint.");
        if (concurrent < 1) throw new ConfigException(file + ": checkpoint.maxConcurrent must be at least 1");
        return new ServeConfig(listen, max, rate, auth, tls, policy, state, vault, retry, dflt, podman, kubelet, concurrent, store(file, n.path("store"), base),
                executor(file, n.path("executor"), base));
    }

    private static Store store(Path file, JsonNode s, Path base) {
        if (s.isMissingNode() || s.isNull()) return null;
        Yaml.keys(s, "store", Set.of("postgres", "user", "password", "passwordFile", "lease", "replica"));
        String url = Yaml.str(s, "postgres", null);
        if (url == null || !url.startsWith("jdbc:postgresql:"))
            throw new ConfigException(file + ": store.postgres: a jdbc:postgresql://HOST[:PORT]/DB URL is required (omit store: for the single-replica journal)");
        Supplier<String> password = Yaml.secret(s, "password", base, "store: ");
        if (password != null) usable(file, s, "store.", "password", password);
        Duration lease = Yaml.duration(s, "lease", Duration.ofSeconds(15), "store.");
        if (lease.toMillis() < 300) throw new ConfigException(file + ": store.lease must be at least 300ms");
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        if (host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "replica";
            }
        }
        // a restarted process is a new replica: it must not finish its predecessor's alerts by name
        String replica = Yaml.str(s, "replica", host) + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffL);
        return new Store(url, Yaml.str(s, "user", null), password, lease, replica);
    }

    private static Argo executor(Path file, JsonNode e, Path base) {
        if (e.isMissingNode() || e.isNull()) return null;
        String at = file + ": executor";
        if (!e.isObject()) throw new ConfigException(at + " must be a mapping (kind: in-process or argo)");
        String kind = Yaml.str(e, "kind", null);
        if (kind == null) throw new ConfigException(at + ".kind is required: in-process (the default) or argo");
        if (kind.equals("in-process")) {
            try {
                Yaml.keys(e, "executor", Set.of("kind"));
            } catch (ConfigException x) {
                throw new ConfigException(file + ": " + x.getMessage() + " (the in-process executor takes no settings)");
            }
            return null;
        }
        if (!kind.equals("argo")) throw new ConfigException(at + ".kind: unknown executor '" + kind + "' (in-process, argo)");
        try {
            Yaml.keys(e, "executor", Set.of("kind", "server", "namespace", "workflowTemplate", "token", "tokenFile", "caFile", "insecureHttp"));
        } catch (ConfigException x) {
            throw new ConfigException(file + ": " + x.getMessage());
        }
        String url = Yaml.str(e, "server", null);
        if (url == null) throw new ConfigException(at + ".server is required: the Argo Server's URL, e.g. https://argo-server.argo:2746");
        java.net.URI server;
        try {
            server = new java.net.URI(url);
        } catch (java.net.URISyntaxException x) {
            throw new ConfigException(at + ".server: not a URL: '" + url + "'");
        }
        String scheme = server.getScheme() == null ? "" : server.getScheme();
        if (!Set.of("http", "https").contains(scheme) || server.getHost() == null || server.getRawQuery() != null || server.getRawFragment() != null
                || server.getRawPath() != null && !server.getRawPath().isEmpty() && !server.getRawPath().equals("/"))
            throw new ConfigException(at + ".server: expected https://HOST[:PORT] (the Argo Server's address, no path), got '" + url + "'");
        boolean insecure;
        try {
            insecure = Yaml.bool(e, "insecureHttp", false, "");
        } catch (ConfigException x) {
            throw new ConfigException(at + "." + x.getMessage());
        }
        // the token goes in every request: over plain HTTP anyone on the path can take it
        if (scheme.equals("http") && !insecure)
            throw new ConfigException(at + ".server: '" + url + "' is plain HTTP and would send the token in the clear; use https (caFile), or insecureHttp: true deliberately");
        Supplier<String> token;
        try {
            token = Yaml.secret(e, "token", base, "");
        } catch (ConfigException x) {
            throw new ConfigException(at + ": " + x.getMessage());
        }
        if (token == null) throw new ConfigException(at + ": kind argo needs tokenFile (or token): a token the Argo Server accepts (argo auth token)");
        usable(file, e, "executor.", "token", token);
        Path ca = Yaml.path(e, "caFile", base, null);
        if (ca != null && !java.nio.file.Files.isReadable(ca)) throw new ConfigException(at + ".caFile: cannot read " + ca);
        if (ca != null && scheme.equals("http")) throw new ConfigException(at + ".caFile: given for a plain-HTTP server '" + url + "'");
        String ns = Yaml.str(e, "namespace", "stasis-agent");
        String template = Yaml.str(e, "workflowTemplate", "stasis-respond");
        // both go into the request's path and a generateName: DNS-1123 names only
        if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) throw new ConfigException(at + ".namespace: not a Kubernetes namespace name: '" + ns + "'");
        if (!template.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?"))
            throw new ConfigException(at + ".workflowTemplate: not a Kubernetes object name: '" + template + "'");
        return new Argo(server, ns, template, token, ca);
    }

    /** Marks of the example secrets shipped in deploy/ and the docs: an install that kept one accepts a publicly known credential. */
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("(?i)REPLACE-WITH|CHANGE-?ME");

    /**
     * Reads a secret once at start, so that a missing file, an empty one or a
     * placeholder stops the server with one line naming the configuration and
     * the key, rather than every request failing later.
     */
    static void usable(Path config, JsonNode n, String at, String key, Supplier<String> secret) {
        String where = config + ": " + at + (n.has(key + "File") ? key + "File" : key);
        String value;
        try {
            value = secret.get();
        } catch (ConfigException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
        if (value == null || value.isBlank()) throw new ConfigException(where + ": the secret is empty");
        if (PLACEHOLDER.matcher(value).find())
            throw new ConfigException(where + ": still the placeholder '" + value.lines().findFirst().orElse("") + "'; put a real secret there (openssl rand -hex 32)");
    }

    static InetSocketAddress address(String s) {
        int i = s.lastIndexOf(':');
        if (i < 0) throw new ConfigException("listen: expected HOST:PORT, got '" + s + "'");
        String host = s.substring(0, i);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(s.substring(i + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("listen: bad port in '" + s + "'");
        }
        if (port < 0 || port > 65535) throw new ConfigException("listen: port out of range in '" + s + "'");
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }
}
