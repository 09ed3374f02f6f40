package dev.stasis.workbench;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.VaultConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the workbench serves and to whom.
 *
 * @param listen      address and port; port 0 picks a free one
 * @param token       bearer token callers must present (header or the login form), or null: then only a
 *                    loopback address is accepted, since anyone who can reach the port would act as {@code localActor}
 * @param tokenSubject who a caller holding the token is, for the custody log
 * @param vault       the vault (read-only use, plus custody records of what the UI does)
 * @param caseDbUrl   JDBC URL of the case database, or null for SQLite next to the vault
 * @param caseDbUser  its user (PostgreSQL), or null
 * @param caseDbPassword its password, or null
 * @param stateDir    the workbench's own state (capture indexes); never inside the evidence
 * @param journalDir  the response engine's state directory (its journal), or null when none is known
 * @param localActor  who acts when no token is used: the OS user on loopback
 * @param tlsCert     PEM certificate chain to serve HTTPS with (as {@code serve}'s tls.cert), or null for plain HTTP
 * @param tlsKey      its PKCS#8 PEM private key (as {@code serve}'s tls.key); given exactly when tlsCert is
 * @param falcoRules  Falco rules files replayed on captures for their rule-hits page (as {@code capture rules --rules}), in order; may be empty
 */
public record WorkbenchConfig(InetSocketAddress listen, Supplier<String> token, String tokenSubject, VaultConfig vault,
                              String caseDbUrl, String caseDbUser, String caseDbPassword, Path stateDir, Path journalDir,
                              Actor localActor, Path tlsCert, Path tlsKey, List<Path> falcoRules) {
    public WorkbenchConfig {
        falcoRules = falcoRules == null ? List.of() : List.copyOf(falcoRules);
        if (listen == null) throw new IllegalArgumentException("listen address is required");
        if (vault == null) throw new IllegalArgumentException("vault is required");
        if (stateDir == null) throw new IllegalArgumentException("state directory is required");
        if (localActor == null) localActor = Actor.current("stasis-ui");
        if (tokenSubject == null || tokenSubject.isBlank()) tokenSubject = "bearer-token";
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("TLS needs both a certificate and its key");
    }

    /** Plain HTTP. */
    public WorkbenchConfig(InetSocketAddress listen, Supplier<String> token, String tokenSubject, VaultConfig vault,
                           String caseDbUrl, String caseDbUser, String caseDbPassword, Path stateDir, Path journalDir,
                           Actor localActor) {
        this(listen, token, tokenSubject, vault, caseDbUrl, caseDbUser, caseDbPassword, stateDir, journalDir, localActor, null, null, List.of());
    }

    /** The same, served over HTTPS with this PEM certificate chain and key. */
    public WorkbenchConfig withTls(Path cert, Path key) {
        return new WorkbenchConfig(listen, token, tokenSubject, vault, caseDbUrl, caseDbUser, caseDbPassword, stateDir, journalDir, localActor, cert, key, falcoRules);
    }

    /** The same, with these Falco rules files for the captures' rule hits. */
    public WorkbenchConfig withRules(List<Path> rules) {
        return new WorkbenchConfig(listen, token, tokenSubject, vault, caseDbUrl, caseDbUser, caseDbPassword, stateDir, journalDir, localActor, tlsCert, tlsKey, rules);
    }

    /** The default state directory: $XDG_STATE_HOME/stasis/ui, else ~/.local/state/stasis/ui. */
    public static Path defaultStateDir() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : VaultConfig.userHome().resolve(".local/state");
        return base.resolve("stasis").resolve("ui");
    }
}
