package dev.stasis.cli.evidence;

import dev.stasis.evidence.Actor;
import dev.stasis.workbench.Workbench;
import dev.stasis.workbench.WorkbenchConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The investigation workbench: a web UI over the same vault, case database and configuration as the
 * other commands. Lives with the evidence commands because it opens the vault the way they do.
 */
@Command(name = "ui", mixinStandardHelpOptions = true, description = {
        "Serve the investigation workbench: cases, evidence, analysis reports, memory and captures in a browser.",
        "Listens on loopback by default; any other address needs a bearer token (--token-file or $STASIS_UI_TOKEN).",
        "--tls-cert/--tls-key serve HTTPS from PEM files, as serve's tls section does; the token is still required off loopback.",
        "What is done through it (verify, export, reads of evidence) goes to the custody log with who did it."})
public final class UiCommand implements Callable<Integer> {
    @Mixin
    VaultOptions vault;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "address and port to listen on (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "file holding the bearer token callers must present (default: $STASIS_UI_TOKEN); required off loopback")
    Path tokenFile;

    @Option(names = "--token-subject", paramLabel = "WHO",
            description = "who a caller with the token is, for the custody log (default: the --as name, else 'ui-token')")
    String tokenSubject;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "serve HTTPS with this PEM certificate chain (as serve's tls.cert); needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "the certificate's PKCS#8 PEM private key (as serve's tls.key); needs --tls-cert")
    Path tlsKey;

    @Option(names = {"-r", "--rules"}, arity = "1..*", paramLabel = "RULES.yaml",
            description = "Falco rules files replayed on captures for their rule-hits page, as capture rules --rules (loaded in order)")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "the workbench's own state: capture indexes, exports, its action log (default: $XDG_STATE_HOME/stasis/ui)")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        for (Path r : rules) if (!Files.isReadable(r)) throw new IllegalArgumentException("--rules: cannot read " + r);
        InetSocketAddress address = address(listen);
        Supplier<String> token = token();
        Actor actor = vault.actor();
        Actor local = new Actor(actor.who(), actor.host(), "stasis-ui");
        String subject = tokenSubject != null ? tokenSubject : vault.who != null ? vault.who : "ui-token";
        String db = vault.db != null ? vault.db : System.getenv("STASIS_CASE_DB");
        WorkbenchConfig cfg = new WorkbenchConfig(address, token, subject, vault.config(), db == null || db.isBlank() ? null : db,
                System.getenv("STASIS_CASE_DB_USER"), System.getenv("STASIS_CASE_DB_PASSWORD"),
                stateDir != null ? stateDir : WorkbenchConfig.defaultStateDir(), null, local, tlsCert, tlsKey, rules);
        Workbench wb;
        try {
            wb = Workbench.start(cfg);
        } catch (dev.stasis.workbench.WorkbenchException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        System.err.println("stasis: workbench at " + wb.uri() + (token == null ? "" : " (bearer token required)") + "; Ctrl-C stops it");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            wb.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    static InetSocketAddress address(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1) throw new IllegalArgumentException("--listen wants HOST:PORT, not " + listen);
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen: the port is a number, not " + listen.substring(colon + 1));
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--listen: no port " + port);
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--listen: unknown host " + host);
        }
    }

    /** The token from --token-file (re-read per request, so it can be rotated) or $STASIS_UI_TOKEN; null when neither. */
    private Supplier<String> token() throws IOException {
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) throw new IllegalArgumentException("--token-file: cannot read " + tokenFile);
            Path f = tokenFile;
            return () -> {
                try {
                    return Files.readString(f).strip();
                } catch (IOException e) {
                    return null;
                }
            };
        }
        String env = System.getenv("STASIS_UI_TOKEN");
        return env == null || env.isBlank() ? null : () -> env.strip();
    }
}
