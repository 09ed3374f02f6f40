package dev.stasis.cli.response;

import dev.stasis.evidence.S3Config;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.agent.AgentAuth;
import dev.stasis.response.agent.AgentServer;
import dev.stasis.response.agent.AgentTls;
import dev.stasis.response.agent.CheckpointDirectory;
import dev.stasis.response.agent.NodeCollector;
import dev.stasis.response.engine.JsonLog;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Node agent: collects checkpoint archives into the vault. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = {
        "Run the node agent (a DaemonSet) that collects checkpoint archives into the vault.",
        "On POST /collect from 'stasis serve', it hashes a checkpoint archive on this node,",
        "stores it in the evidence vault (S3 from STASIS_S3_* when set) and removes the node's copy.",
        "Serves HTTPS (--tls-cert/--tls-key or --tls-pkcs12); callers prove who they are with a Kubernetes",
        "service-account token checked by TokenReview (--token-review)."})
public final class AgentCommand implements Callable<Integer> {
    static final String ENGINE_IDENTITY = "system:serviceaccount:stasis:stasis-engine";

    @Option(names = "--listen", defaultValue = "127.0.0.1:10251",
            description = "HOST:PORT (default: ${DEFAULT-VALUE}; in a cluster, the pod's IP: $(POD_IP):10251)")
    String listen;

    @Option(names = "--checkpoint-dir", defaultValue = "/var/lib/kubelet/checkpoints",
            description = "absolute path; only archives directly in here are collected (default: ${DEFAULT-VALUE})")
    Path checkpointDir;

    @Option(names = "--vault", description = "vault root (default: $STASIS_VAULT or ~/.local/share/stasis/vault)")
    Path vault;

    @Option(names = "--node", description = "this node's name (default: $NODE_NAME, else the host name)")
    String node;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Who may call (exactly one):%n")
    Auth auth;

    static final class Auth {
        @Option(names = "--token-review", description = "check the caller's service-account token with the Kubernetes TokenReview API")
        boolean tokenReview;

        @Option(names = "--token-file", description = "LOCAL USE ONLY: one static bearer token shared by every node")
        Path tokenFile;

        @Option(names = "--insecure-no-auth", description = "accept requests without a token (tests only)")
        boolean noAuth;
    }

    @Option(names = "--audience", defaultValue = "stasis-agent", description = "audience the token must be bound to (default: ${DEFAULT-VALUE})")
    String audience;

    @Option(names = "--allow-identity", description = "identity allowed to call, repeatable (default: " + ENGINE_IDENTITY + ")")
    List<String> allowIdentity;

    @Option(names = "--tls-cert", description = "serve HTTPS with this PEM certificate (chain)")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM PKCS#8 key for --tls-cert")
    Path tlsKey;

    @Option(names = "--tls-pkcs12", description = "serve HTTPS with the key and certificate in this PKCS#12 keystore")
    Path tlsPkcs12;

    @Option(names = "--tls-pkcs12-password-file", description = "file holding the --tls-pkcs12 password (default: empty password)")
    Path tlsPkcs12Password;

    @Option(names = "--insecure-http", description = "serve plain HTTP (only on a loopback address; for local use)")
    boolean insecureHttp;

    @Override
    public Integer call() throws Exception {
        ServeCommand.quietLibraries();
        // The JDK server waits forever for a request's headers and body by default: a client that sends them a byte
        // at a time (slowloris) would hold a descriptor each. The request here is at most 256 KiB, read before the
        // collection starts, and the reply is small; read once by the JDK, so set before the first server exists.
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "30"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "30"));
        JsonLog log = new JsonLog(System.err);
        SSLContext tls = tls();
        InetSocketAddress addr = address();
        if (tls == null && !addr.getAddress().isLoopbackAddress())
            throw new IllegalArgumentException("--insecure-http serves only on a loopback address (127.0.0.1), not " + addr.getHostString());
        if (!checkpointDir.isAbsolute()) throw new IllegalArgumentException("--checkpoint-dir must be an absolute path");
        CheckpointDirectory dir = CheckpointDirectory.of(checkpointDir);
        AgentAuth who = auth(log);
        String nodeName = node != null ? node : System.getenv().getOrDefault("NODE_NAME", InetAddress.getLocalHost().getHostName());
        VaultConfig vc = VaultConfig.local(vault != null ? vault : VaultConfig.defaultRoot());
        S3Config s3 = S3Config.fromEnvironment();
        if (s3 != null) vc = vc.withS3(s3);
        Vault v = Vault.open(vc);
        AgentServer server = new AgentServer(addr, tls, new NodeCollector(v, dir, nodeName), who, nodeName, log).start();
        log.info("agent.started", "listen", server.address().toString(), "tls", tls != null, "auth", who.getClass().getSimpleName(),
                "node", nodeName, "checkpointDir", dir.path().toString(), "vault", v.describeStorage());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private SSLContext tls() {
        boolean pem = tlsCert != null || tlsKey != null;
        if (pem && tlsPkcs12 != null) throw new IllegalArgumentException("give --tls-cert/--tls-key or --tls-pkcs12, not both");
        if (insecureHttp && (pem || tlsPkcs12 != null)) throw new IllegalArgumentException("--insecure-http and a TLS certificate contradict each other");
        if (pem) return AgentTls.pem(tlsCert, tlsKey);
        if (tlsPkcs12 != null) return AgentTls.pkcs12(tlsPkcs12, tlsPkcs12Password);
        if (!insecureHttp) throw new IllegalArgumentException("give a TLS certificate (--tls-cert and --tls-key, or --tls-pkcs12), or --insecure-http for local use");
        return null;
    }

    private InetSocketAddress address() {
        int i = listen.lastIndexOf(':');
        if (i <= 0) throw new IllegalArgumentException("--listen wants HOST:PORT, not " + listen);
        int port;
        try {
            port = Integer.parseInt(listen.substring(i + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen wants HOST:PORT, not " + listen);
        }
        InetSocketAddress a = new InetSocketAddress(listen.substring(0, i).replace("[", "").replace("]", ""), port);
        if (a.isUnresolved()) throw new IllegalArgumentException("--listen: cannot resolve " + listen.substring(0, i));
        return a;
    }

    private AgentAuth auth(JsonLog log) {
        if (auth.tokenReview) {
            var allowed = new LinkedHashSet<>(allowIdentity == null || allowIdentity.isEmpty() ? List.of(ENGINE_IDENTITY) : allowIdentity);
            return new AgentAuth.TokenReviewer(new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(1).withRequestTimeout(10_000).build()).build(), audience, allowed, Duration.ofSeconds(60), Clock.systemUTC());
        }
        if (auth.tokenFile != null) {
            Path f = auth.tokenFile;
            String t;
            try {
                t = Files.readString(f).strip();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read --token-file " + f);
            }
            if (t.length() < 32 || t.toUpperCase(java.util.Locale.ROOT).contains("REPLACE"))
                throw new IllegalArgumentException("--token-file " + f + " holds a placeholder or a short token; make one with: openssl rand -hex 32");
            log.warn("agent.static-token", "warning", "STATIC TOKEN MODE: one secret shared by every node; whoever reads it on any node can "
                    + "make every agent collect. For local use only; in a cluster use --token-review.");
            return new AgentAuth.StaticToken(() -> {
                try {
                    return Files.readString(f).strip();
                } catch (java.io.IOException e) {
                    return null;
                }
            });
        }
        log.warn("agent.no-auth", "warning", "AUTHENTICATION DISABLED (--insecure-no-auth): anyone who reaches this port can make the agent collect");
        return new AgentAuth.None();
    }
}
