package dev.stasis.response.server;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.action.Actions;
import dev.stasis.response.action.Notifier;
import dev.stasis.response.argo.ArgoExecutor;
import dev.stasis.response.argo.ArgoSubmitter;
import dev.stasis.response.backend.CheckpointBackend;
import dev.stasis.response.backend.KubeletBackend;
import dev.stasis.response.backend.PodmanBackend;
import dev.stasis.response.collect.AgentCollector;
import dev.stasis.response.collect.Collector;
import dev.stasis.response.collect.LocalCollector;
import dev.stasis.response.config.ServeConfig;
import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.response.engine.CaseRecorder;
import dev.stasis.response.engine.CustodyRecorder;
import dev.stasis.response.engine.StepRecorder;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.engine.Metrics;
import dev.stasis.response.engine.PolicySource;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.engine.RetryPolicy;
import dev.stasis.response.journal.Journal;
import dev.stasis.response.k8s.Cluster;
import dev.stasis.response.store.SharedStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code stasis serve} assembled from its configuration: vault, backends, journal, engine and HTTP server. */
public final class ResponseService implements Closeable {
    private final Vault vault;
    private final KubernetesClient kube;
    private final ResponseEngine engine;
    private final AlertServer server;
    private final int resumed;
    private final CaseStore cases;

    private ResponseService(Vault vault, KubernetesClient kube, ResponseEngine engine, AlertServer server, int resumed, CaseStore cases) {
        this.cases = cases;
        this.vault = vault;
        this.kube = kube;
        this.engine = engine;
        this.server = server;
        this.resumed = resumed;
    }

    /**
     * The actions a configuration provides: its checkpoint backends and collectors, the
     * Kubernetes API (label, annotate, isolate) and the notifier. Shared by {@code stasis serve}
     * and {@code stasis act}, which runs one step on its own (an Argo Workflows step).
     *
     * @param kube the Kubernetes client to close with them, or null
     */
    public record Parts(Actions actions, KubernetesClient kube, java.util.Set<String> backends) implements Closeable {
        @Override
        public void close() {
            if (kube != null) kube.close();
        }
    }

    public static Parts parts(ServeConfig cfg, Vault vault, Actor actor) {
        Map<String, CheckpointBackend> backends = new HashMap<>();
        Map<String, Collector> collectors = new HashMap<>();
        KubernetesClient kube = null;
        Cluster cluster = null;
        if (cfg.podman() != null) {
            backends.put("podman", new PodmanBackend(cfg.podman().command(), cfg.podman().exportDir()));
            collectors.put("podman", new LocalCollector(vault, actor, cfg.podman().exportDir()));
        }
        if (cfg.kubelet() != null) {
            kube = new KubernetesClientBuilder().build();
            cluster = new Cluster(kube);
            ServeConfig.Kubelet k = cfg.kubelet();
            HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            if (k.caFile() != null) hb.sslContext(Pem.context(null, null, k.caFile()));
            HttpClient http = hb.build();
            URI api = URI.create(kube.getConfiguration().getMasterUrl());
            backends.put("kubelet", new KubeletBackend(cluster, http, k.token(),
                    k.mode().equals("proxy") ? KubeletBackend.Mode.PROXY : KubeletBackend.Mode.DIRECT, k.port(), api, Duration.ofSeconds(15)));
            Cluster c = cluster;
            String scheme = k.agentTls() ? "https" : "http";
            collectors.put("kubelet", new AgentCollector(http, node -> URI.create(scheme + "://" + c.nodeAddress(node) + ":" + k.agentPort()),
                    k.agentToken() == null ? () -> null : k.agentToken(), Duration.ofMinutes(30)));
        }
        Actions actions = new Actions(backends, cfg.defaultBackend(), collectors, cluster,
                new Notifier(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()), actor.who() + "@" + actor.host(),
                cfg.maxConcurrentCheckpoints());
        return new Parts(actions, kube, java.util.Set.copyOf(backends.keySet()));
    }

    public static ResponseService start(ServeConfig cfg, JsonLog log, Actions.CheckpointHook hook) throws IOException {
        PolicySource policy = new PolicySource(cfg.policy(), log);
        Vault vault = Vault.open(VaultConfig.local(cfg.vault()));
        Actor actor = Actor.current("stasis-serve");
        Parts parts = parts(cfg, vault, actor);
        Actions actions = parts.actions();
        KubernetesClient kube = parts.kube();
        Metrics metrics = new Metrics();
        RetryPolicy retry = new RetryPolicy(cfg.retry().maxAttempts(), cfg.retry().base(), cfg.retry().max());
        ResponseEngine engine;
        if (cfg.store() != null) {
            // replicas share alerts and cool-downs in PostgreSQL; no journal file
            ServeConfig.Store st = cfg.store();
            SharedStore store = SharedStore.open(st.url(), st.user(), st.password() == null ? null : st.password().get(), st.replica(), st.lease());
            engine = new ResponseEngine(policy, store, actions, metrics, log, retry, hook);
            log.info("store.shared", "replica", st.replica(), "lease_ms", st.lease().toMillis());
        } else {
            long keepAfter = System.currentTimeMillis() - Duration.ofHours(24).toMillis();
            engine = new ResponseEngine(policy, Journal.open(cfg.stateDir(), keepAfter), actions, metrics, log, retry, hook);
        }
        StepRecorder steps = new CustodyRecorder(vault.custody(), actor);
        CaseStore cases = null;
        try {
            cases = CaseStore.open(CaseStore.sqlite(vault.config().caseDatabase()));
            steps = steps.andThen(new CaseRecorder(cases, actor.who() + "@" + actor.host() + " (stasis serve)"));
        } catch (RuntimeException e) {
            log.warn("cases.unavailable", "error", e.getMessage(), "effect", "steps are recorded in the journal and custody log only");
        }
        engine.recordStepsIn(steps);
        if (cfg.argo() != null) engine.executeOn(argo(cfg.argo()));
        int resumed = engine.resume();
        if (resumed > 0) log.info("journal.resumed", "pending", resumed);
        ServeConfig.Auth a = cfg.auth();
        Authenticator auth = switch (a.mode()) {
            case NONE -> new Authenticator.None();
            case BEARER -> new Authenticator.Bearer(a.token());
            case HMAC -> new Authenticator.Hmac(a.hmacSecret(), a.hmacHeader(), a.hmacTimestampHeader(), a.hmacMaxSkew(), new Authenticator.Replays(Authenticator.Replays.DEFAULT_MAX));
            case MTLS -> new Authenticator.Mtls(a.allowedClients());
        };
        var tls = cfg.tls() == null ? null : Pem.context(cfg.tls().cert(), cfg.tls().key(), cfg.tls().clientCa());
        AlertServer server = new AlertServer(cfg.listen(), tls, a.mode() == ServeConfig.Auth.Mode.MTLS, engine, auth, cfg.maxBodyBytes(),
                cfg.ratePerSecond(), log);
        server.start();
        log.info("serve.started", "listen", server.address().toString(), "tls", tls != null, "auth", a.mode().name().toLowerCase(),
"policy", cfg.policy().toString(), "vault", cfg.vault().toString(), "backends", String.join(",", parts.backends()),
                "executor", cfg.argo() == null ? "in-process" : "argo " + cfg.argo().server() + " " + cfg.argo().namespace() + "/" + cfg.argo().workflowTemplate());
        return new ResponseService(vault, kube, engine, server, resumed, cases);
    }

    /**
     * executor argo: one attempt per call (the engine's retry policy and journal retry it), TLS trusting
     * the configured CA or the JVM's trust store.
     */
    static ArgoExecutor argo(ServeConfig.Argo a) {
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (a.caFile() != null) hb.sslContext(Pem.context(null, null, a.caFile()));
        ArgoSubmitter.Target t = new ArgoSubmitter.Target(a.server(), a.namespace(), a.workflowTemplate(), a.token());
        return ArgoExecutor.of(hb.build(), t);
    }

    public AlertServer server() {
        return server;
    }

    public ResponseEngine engine() {
        return engine;
    }

    public Vault vault() {
        return vault;
    }

    public int resumed() {
        return resumed;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        if (kube != null) kube.close();
        if (cases != null) cases.close();
        try {
            vault.close();
        } catch (Exception e) {
            // nothing left to flush
        }
    }
}
