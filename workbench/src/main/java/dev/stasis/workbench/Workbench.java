package dev.stasis.workbench;

import dev.stasis.response.config.ConfigException;
import dev.stasis.response.server.Pem;
import dev.stasis.workbench.internal.Services;
import dev.stasis.workbench.internal.http.WebServer;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * The investigation workbench: a server-rendered web application over the vault, the case database,
 * the analysis of checkpoints, their memory and syscall captures. Evidence is only read; what an
 * analyst does through it (verify, export, open an item) goes to the custody log with who did it.
 */
public final class Workbench implements Closeable {
    private final Services services;
    private final WebServer server;

    private Workbench(Services services, WebServer server) {
        this.services = services;
        this.server = server;
    }

    /**
     * Starts serving. A listen address other than loopback without a bearer token is refused: the
     * UI would otherwise let anyone on the network act on evidence as the local user.
     */
    public static Workbench start(WorkbenchConfig config) {
        InetAddress addr = config.listen().getAddress();
        if (addr == null) throw new WorkbenchException("cannot resolve the listen address " + config.listen().getHostString());
        if (!addr.isLoopbackAddress() && config.token() == null)
            throw new WorkbenchException("listening on " + addr.getHostAddress() + " (not loopback) needs a bearer token: --token-file FILE or $STASIS_UI_TOKEN");
        if (config.token() != null) {
            String t = config.token().get();
            if (t == null || t.strip().length() < 16) throw new WorkbenchException("the bearer token is too short (at least 16 characters)");
        }
        SSLContext tls = tls(config);
        Services services = Services.open(config);
        try {
            return new Workbench(services, WebServer.start(config, tls, services));
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /** The server's TLS context from PEM files, by the loader {@code serve} uses; null for plain HTTP. */
    private static SSLContext tls(WorkbenchConfig config) {
        if (config.tlsCert() == null) return null;
        try {
            return Pem.context(config.tlsCert(), config.tlsKey(), null);
        } catch (ConfigException e) {
            throw new WorkbenchException("TLS: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:8080/} ({@code https://} with TLS). */
    public URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
        services.close();
    }
}
