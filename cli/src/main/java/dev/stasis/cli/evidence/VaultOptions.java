package dev.stasis.cli.evidence;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.S3Config;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.evidence.VaultNotFoundException;
import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.evidence.cases.NoCaseDatabaseException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the vault and the case database are; shared by every evidence and
 * case subcommand. Defaults need no configuration: a local vault under
 * {@code $STASIS_VAULT} or {@code ~/.local/share/stasis/vault}, S3 when
 * {@code STASIS_S3_BUCKET} is set, SQLite next to the vault.
 */
public final class VaultOptions {
    @Option(names = "--vault", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "vault directory (default: $STASIS_VAULT or ~/.local/share/stasis/vault)")
    Path vault;

    @Option(names = "--signing-key", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "the vault's private signing key, kept outside the vault (default: $STASIS_SIGNING_KEY, else keys/signing.key in the vault); the public key stays in the vault")
    Path signingKey;

    @Option(names = "--s3", paramLabel = "s3://BUCKET[/PREFIX]", scope = ScopeType.INHERIT,
            description = "keep items in this S3 bucket (default: $STASIS_S3_BUCKET; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS chain)")
    String s3;

    @Option(names = "--s3-endpoint", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "S3-compatible endpoint (MinIO, Ceph...); default $STASIS_S3_ENDPOINT or AWS")
    URI s3Endpoint;

    @Option(names = "--db", paramLabel = "JDBC_URL", scope = ScopeType.INHERIT,
            description = "case database (default: $STASIS_CASE_DB, else SQLite cases.db in the vault)%n  e.g. jdbc:postgresql://host/db")
    String db;

    @Option(names = "--as", paramLabel = "WHO", scope = ScopeType.INHERIT,
            description = "who is acting, for the custody log (default: $STASIS_ACTOR or the OS user)")
    String who;

    VaultConfig config() {
        quietLibraries();
        VaultConfig c = vault == null ? VaultConfig.defaults() : VaultConfig.local(vault);
        String envKey = System.getenv("STASIS_SIGNING_KEY");
        Path key = signingKey != null ? signingKey : envKey == null || envKey.isBlank() ? null : Path.of(envKey);
        if (key != null) c = c.withSigningKey(key);
        S3Config s3c = S3Config.fromEnvironment();
        if (s3 != null) {
            if (!s3.startsWith("s3://") || s3.length() <= 5) throw new IllegalArgumentException("--s3 wants s3://BUCKET[/PREFIX], not " + s3);
            String rest = s3.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            URI endpoint = s3Endpoint != null ? s3Endpoint : s3c != null ? s3c.endpoint() : envEndpoint();
            s3c = new S3Config(endpoint, s3c == null ? null : s3c.region(), bucket, prefix,
                    System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"), endpoint != null, 0,
                    s3c == null ? null : s3c.lockMode(), s3c == null ? null : s3c.retention(), s3c != null && s3c.legalHold(),
                    s3c == null ? null : s3c.sse(), s3c == null ? null : s3c.kmsKeyId(), s3c == null || s3c.readBack());
        }
        return s3c == null ? c : c.withS3(s3c);
    }

    private static URI envEndpoint() {
        String e = System.getenv("STASIS_S3_ENDPOINT");
        return e == null || e.isBlank() ? null : URI.create(e);
    }

    /**
     * Opens the vault these options name, creating it when missing: for the commands that store
     * (evidence add). Public: the sandbox commands take vault items too (they only read: use
     * {@link #openExisting()}).
     */
    public Vault open() {
        return Vault.open(config());
    }

    /**
     * The vault for the commands that only read and check: a vault that is not there is a one-line
     * error, and nothing is created (a mistyped --vault must not "verify" a new empty vault).
     */
    public Vault openExisting() {
        try {
            return Vault.openExisting(config());
        } catch (VaultNotFoundException e) {
            throw noVault(e.getMessage());
        }
    }

    private static IllegalArgumentException noVault(String what) {
        return new IllegalArgumentException(what + " (create one with `stasis evidence keygen --vault DIR` or `evidence add`)");
    }

    /** Says on stderr which actions the custody log could not record (the private key was not readable here). */
    static void noteUnrecorded(Vault v) {
        if (!v.unrecorded().isEmpty())
            System.err.println("stasis: note: not recorded in the custody log (the signing key " + v.config().signingKey()
                    + " is not readable here): " + String.join(", ", v.unrecorded()));
    }

    /** The case database, created when missing: for the commands that write (case create, evidence add --case). */
    CaseStore cases() {
        quietLibraries();
        String url = caseUrl();
        if (url == null) return CaseStore.open(CaseStore.sqlite(config().caseDatabase()));
        return CaseStore.open(url, System.getenv("STASIS_CASE_DB_USER"), System.getenv("STASIS_CASE_DB_PASSWORD"));
    }

    /**
     * The case database for the commands that read or change existing cases; creates nothing. Empty
     * when the vault exists but no case was ever made in it; a one-line error when there is no vault.
     */
    Optional<CaseStore> existingCases() {
        quietLibraries();
        String url = caseUrl();
        if (url != null) return Optional.of(CaseStore.openExisting(url, System.getenv("STASIS_CASE_DB_USER"), System.getenv("STASIS_CASE_DB_PASSWORD")));
        VaultConfig c = config();
        try {
            return Optional.of(CaseStore.openExisting(CaseStore.sqlite(c.caseDatabase()), null, null));
        } catch (NoCaseDatabaseException e) {
            if (Vault.exists(c)) return Optional.empty();
            throw noVault("no vault at " + c.root());
        }
    }

    private String caseUrl() {
        String url = db != null ? db : System.getenv("STASIS_CASE_DB");
        return url == null || url.isBlank() ? null : url;
    }

    /**
     * Flyway reports every migration check at INFO, and without a logging configuration logback
     * prints the AWS SDK's and its HTTP client's DEBUG (wire) logs; a command's output is not the
     * place for either. Loggers someone configured are left alone.
     */
    private static void quietLibraries() {
        for (String name : new String[] {"org.flywaydb", "software.amazon.awssdk", "org.apache.http", "org.apache.hc", "io.netty", "org.jdbi"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l && l.getLevel() == null)
                l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Who is acting, for custody records. */
    public Actor actor() {
        Actor a = Actor.current("stasis-cli");
        String w = who != null ? who : System.getenv("STASIS_ACTOR");
        return w == null || w.isBlank() ? a : new Actor(w, a.host(), a.via());
    }
}
