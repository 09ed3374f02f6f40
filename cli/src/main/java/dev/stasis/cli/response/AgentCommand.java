package dev.stasis.cli.response;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.S3Config;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.agent.AgentServer;
import dev.stasis.response.collect.LocalCollector;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.server.Authenticator;
import dev.stasis.response.server.Pem;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Node agent: collects checkpoint archives into the vault. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = {
        "Node agent (run as a DaemonSet): on POST /collect from 'stasis serve', hashes a checkpoint archive on this node,",
        "stores it in the evidence vault (S3 from STASIS_S3_* when set) and removes the node's copy."})
public final class AgentCommand implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "0.0.0.0:10251", description = "HOST:PORT (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--checkpoint-dir", defaultValue = "/var/lib/kubelet/checkpoints", description = "only archives in here are collected (default: ${DEFAULT-VALUE})")
    Path checkpointDir;

    @Option(names = "--vault", description = "vault root (default: $STASIS_VAULT or ~/.local/share/stasis/vault)")
    Path vault;

    @Option(names = "--token-file", description = "bearer token the engine must present")
    Path tokenFile;

    @Option(names = "--insecure-no-auth", description = "accept requests without a token (tests only)")
    boolean noAuth;

    @Option(names = "--node", description = "this node's name (default: $NODE_NAME, else the host name)")
    String node;

    @Option(names = "--tls-cert", description = "serve HTTPS with this PEM certificate")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM PKCS#8 key for --tls-cert")
    Path tlsKey;

    @Override
    public Integer call() throws Exception {
        ServeCommand.quietLibraries();
        if (tokenFile == null && !noAuth) throw new IllegalArgumentException("give --token-file (or --insecure-no-auth, deliberately)");
        Authenticator auth = tokenFile == null ? new Authenticator.None() : new Authenticator.Bearer(() -> {
            try {
                return Files.readString(tokenFile).strip();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read " + tokenFile + ": " + e.getMessage());
            }
        });
        String nodeName = node != null ? node : System.getenv().getOrDefault("NODE_NAME", java.net.InetAddress.getLocalHost().getHostName());
        VaultConfig vc = VaultConfig.local(vault != null ? vault : VaultConfig.defaultRoot());
        S3Config s3 = S3Config.fromEnvironment();
        if (s3 != null) vc = vc.withS3(s3);
        Vault v = Vault.open(vc);
        JsonLog log = new JsonLog(System.err);
        int i = listen.lastIndexOf(':');
        InetSocketAddress addr = new InetSocketAddress(listen.substring(0, i), Integer.parseInt(listen.substring(i + 1)));
        var tls = tlsCert == null ? null : Pem.context(tlsCert, tlsKey, null);
        AgentServer server = new AgentServer(addr, tls, new LocalCollector(v, new Actor("stasis-agent", nodeName, "stasis-agent"), checkpointDir),
                auth, nodeName, log).start();
        log.info("agent.started", "listen", server.address().toString(), "node", nodeName, "checkpointDir", checkpointDir.toString(),
                "vault", v.describeStorage());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
