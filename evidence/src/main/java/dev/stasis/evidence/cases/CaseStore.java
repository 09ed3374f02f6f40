package dev.stasis.evidence.cases;

import dev.stasis.evidence.Hashes;
import dev.stasis.evidence.internal.SecureFiles;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The case database: SQLite by default (one file next to the vault), or
 * PostgreSQL by JDBC URL. The schema is migrated by Flyway on open (scripts in
 * {@code db/migration/stasis}), so an older database is brought up to date.
 */
public final class CaseStore implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/=-]{0,99}");

    private static final java.util.concurrent.locks.ReentrantLock OPENING = new java.util.concurrent.locks.ReentrantLock();

    private final Jdbi jdbi;
    private final String url;

    private CaseStore(Jdbi jdbi, String url) {
        this.jdbi = jdbi;
        this.url = url;
    }

    /** The JDBC URL of the SQLite file at {@code file}. */
    public static String sqlite(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    public static CaseStore open(String jdbcUrl) {
        return open(jdbcUrl, null, null);
    }

    /** Opens and migrates the database, creating a SQLite file when missing; a PostgreSQL that is unreachable gives a one-line {@link CaseException}. */
    public static CaseStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, true);
    }

    /**
     * Opens an existing database for the commands that only read: a SQLite file that is not there
     * is a {@link CaseException} ("no case database at ..."), and nothing is created.
     */
    public static CaseStore openExisting(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, false);
    }

    private static CaseStore open(String jdbcUrl, String user, String password, boolean create) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:"))
            throw new CaseException("unsupported case database URL '" + jdbcUrl + "' (jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB)");
        try {
            javax.sql.DataSource ds = dataSource(jdbcUrl, user, password);
            if (jdbcUrl.startsWith("jdbc:sqlite:")) {
                Path file = Path.of(jdbcUrl.substring("jdbc:sqlite:".length())).toAbsolutePath();
                if (!create && !Files.isRegularFile(file)) throw new NoCaseDatabaseException(file);
                if (create) SecureFiles.createPrivateDirectories(file.getParent());
                // Several processes (concurrent `evidence add --case`) may open a new database at once: the
                // file's creation and Flyway's migration run one process at a time, under a lock beside it.
                OPENING.lock(); // a file lock is held per JVM: threads of one process queue here first
                try (FileChannel ch = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SecureFiles.privateFile());
                     FileLock ignored = ch.lock()) {
                    // created 0600 before SQLite opens it, so it never exists with wider permissions
                    if (create && !Files.exists(file)) SecureFiles.writeNew(file, new byte[0], true);
                    migrate(ds);
                } finally {
                    OPENING.unlock();
                }
            } else {
                migrate(ds);
            }
            return new CaseStore(Jdbi.create(ds), jdbcUrl);
        } catch (FlywayException e) {
            throw new CaseException("cannot open the case database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        } catch (java.io.IOException e) {
            throw new CaseException("cannot create the case database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(javax.sql.DataSource ds) {
        Flyway.configure(CaseStore.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:db/migration/stasis")
                .table("stasis_schema_history")
                .load()
                .migrate();
    }

    /**
     * SQLite shared by several processes: WAL (readers do not wait for the writer), IMMEDIATE
     * transactions (a writer takes the write lock when it begins, so two writers queue on the busy
     * timeout instead of one failing at once with SQLITE_BUSY when it upgrades a read lock), a 30 s
     * busy timeout, foreign keys on. PostgreSQL plain.
     */
    private static javax.sql.DataSource dataSource(String url, String user, String password) {
        if (url.startsWith("jdbc:sqlite:")) {
            org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
            cfg.enforceForeignKeys(true);
            cfg.setBusyTimeout(30_000);
            cfg.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
            cfg.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
            org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource(cfg);
            ds.setUrl(url);
            return ds;
        }
        return PostgresSource.of(url, user, password);
    }


    public String url() {
        return redact(url);
    }

    public CaseSummary create(String name, String title, String by) {
        checkName(name);
        return call(h -> {
            if (insertCase(h, name, title, by) == 0) throw new CaseException("case " + name + " already exists");
            return summary(h, name);
        });
    }

    /**
     * Creates the case unless it exists (then it is left as it is); safe when several processes do it
     * for the same name at once. Returns true when this call created it.
     */
    public boolean createIfAbsent(String name, String title, String by) {
        checkName(name);
        return call(h -> insertCase(h, name, title, by) > 0);
    }

    /** One statement, so that two writers cannot both see "absent" and both insert. */
    private static int insertCase(Handle h, String name, String title, String by) {
        return h.createUpdate("INSERT INTO cases(name, title, status, created_at, created_by) VALUES (?, ?, 'open', ?, ?) ON CONFLICT (name) DO NOTHING")
                .bind(0, name).bind(1, title == null ? "" : title).bind(2, now()).bind(3, by).execute();
    }

    public List<CaseSummary> list() {
        return call(h -> h.createQuery("SELECT name FROM cases ORDER BY created_at DESC, name").mapTo(String.class).list()
                .stream().map(n -> summary(h, n)).toList());
    }

    public CaseDetail show(String name) {
        return call(h -> {
            require(h, name);
            var row = h.createQuery("SELECT title, status, created_at, created_by FROM cases WHERE name = ?").bind(0, name)
                    .mapToMap().one();
            List<CaseDetail.EvidenceLink> ev = h.createQuery("SELECT item_id, added_at, added_by FROM case_evidence WHERE case_name = ? ORDER BY added_at, item_id")
                    .bind(0, name).map((rs, ctx) -> new CaseDetail.EvidenceLink(rs.getString(1), Instant.parse(rs.getString(2)), rs.getString(3))).list();
            List<CaseDetail.Report> reports = h.createQuery("SELECT id, title, sha256, content, added_at, added_by FROM case_reports WHERE case_name = ? ORDER BY added_at, id")
                    .bind(0, name).map((rs, ctx) -> new CaseDetail.Report(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.parse(rs.getString(5)), rs.getString(6))).list();
            List<CaseDetail.Note> notes = h.createQuery("SELECT id, body, added_at, added_by FROM case_notes WHERE case_name = ? ORDER BY added_at, id")
                    .bind(0, name).map((rs, ctx) -> new CaseDetail.Note(rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3)), rs.getString(4))).list();
            return new CaseDetail(name, (String) row.get("title"), (String) row.get("status"), Instant.parse((String) row.get("created_at")),
                    (String) row.get("created_by"), ev, reports, tags(h, name), notes);
        });
    }

    /** Adds an evidence item (idempotent: adding it twice keeps one link). Returns true when it was new. */
    public boolean addEvidence(String name, String itemId, String by) {
        String id = Hashes.normalise(itemId);
        return call(h -> {
            require(h, name);
            return h.createUpdate("INSERT INTO case_evidence(case_name, item_id, added_at, added_by) VALUES (?, ?, ?, ?) ON CONFLICT (case_name, item_id) DO NOTHING")
                    .bind(0, name).bind(1, id).bind(2, now()).bind(3, by).execute() > 0;
        });
    }

    /** Keeps a report's content with the case; returns the report's id. */
    public String addReport(String name, String title, String content, String by) {
        return call(h -> {
            require(h, name);
            String id = UUID.randomUUID().toString();
            h.createUpdate("INSERT INTO case_reports(id, case_name, title, sha256, content, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, id).bind(1, name).bind(2, title).bind(3, Hashes.sha256Hex(content.getBytes(StandardCharsets.UTF_8)))
                    .bind(4, content).bind(5, now()).bind(6, by).execute();
            return id;
        });
    }

    /** Adds a tag (idempotent). Returns true when it was new. */
    public boolean tag(String name, String tag) {
        if (!TAG.matcher(tag).matches()) throw new CaseException("bad tag '" + tag + "' (letters, digits and ._:/=- up to 100)");
        return call(h -> {
            require(h, name);
            return h.createUpdate("INSERT INTO case_tags(case_name, tag) VALUES (?, ?) ON CONFLICT (case_name, tag) DO NOTHING")
                    .bind(0, name).bind(1, tag).execute() > 0;
        });
    }

    public boolean untag(String name, String tag) {
        return call(h -> {
            require(h, name);
            return h.createUpdate("DELETE FROM case_tags WHERE case_name = ? AND tag = ?").bind(0, name).bind(1, tag).execute() > 0;
        });
    }

    public String note(String name, String body, String by) {
        if (body == null || body.isBlank()) throw new CaseException("a note needs text");
        return call(h -> {
            require(h, name);
            String id = UUID.randomUUID().toString();
            h.createUpdate("INSERT INTO case_notes(id, case_name, body, added_at, added_by) VALUES (?, ?, ?, ?, ?)")
                    .bind(0, id).bind(1, name).bind(2, body).bind(3, now()).bind(4, by).execute();
            return id;
        });
    }

    public void setStatus(String name, String status) {
        if (!status.equals("open") && !status.equals("closed")) throw new CaseException("case status is open or closed, not " + status);
        call(h -> {
            require(h, name);
            return h.createUpdate("UPDATE cases SET status = ? WHERE name = ?").bind(0, status).bind(1, name).execute();
        });
    }

    /** The cases that group an evidence item. */
    public List<String> casesOf(String itemId) {
        String id = Hashes.normalise(itemId);
        return call(h -> h.createQuery("SELECT case_name FROM case_evidence WHERE item_id = ? ORDER BY case_name").bind(0, id).mapTo(String.class).list());
    }

    private CaseSummary summary(Handle h, String name) {
        var row = h.createQuery("SELECT title, status, created_at, created_by FROM cases WHERE name = ?").bind(0, name).mapToMap().one();
        int ev = h.createQuery("SELECT COUNT(*) FROM case_evidence WHERE case_name = ?").bind(0, name).mapTo(Integer.class).one();
        int rep = h.createQuery("SELECT COUNT(*) FROM case_reports WHERE case_name = ?").bind(0, name).mapTo(Integer.class).one();
        return new CaseSummary(name, (String) row.get("title"), (String) row.get("status"), Instant.parse((String) row.get("created_at")),
                (String) row.get("created_by"), ev, rep, tags(h, name));
    }

    private static List<String> tags(Handle h, String name) {
        return h.createQuery("SELECT tag FROM case_tags WHERE case_name = ? ORDER BY tag").bind(0, name).mapTo(String.class).list();
    }

    private static boolean exists(Handle h, String name) {
        return h.createQuery("SELECT COUNT(*) FROM cases WHERE name = ?").bind(0, name).mapTo(Integer.class).one() > 0;
    }

    private static void require(Handle h, String name) {
        if (!exists(h, name)) throw new CaseException("no case " + name + " (create it with 'stasis case create " + name + "')");
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches())
            throw new CaseException("bad case name '" + name + "' (letters, digits and ._:- up to 200, starting with a letter or digit)");
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
    }

    /**
     * One transaction. SQLite's busy timeout covers waiting for another writer; what it cannot cover
     * (SQLITE_BUSY from a lock the busy handler is not asked about, such as a WAL checkpoint or a
     * schema change in another process) is retried a few times with a growing pause before the
     * one-line error.
     */
    private <T> T call(org.jdbi.v3.core.HandleCallback<T, RuntimeException> cb) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(cb::withHandle);
            } catch (JdbiException e) {
                if (attempt >= BUSY_ATTEMPTS || !busy(e))
                    throw new CaseException("case database " + redact(url) + ": " + rootMessage(e), e);
                try {
                    Thread.sleep(50L * attempt * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CaseException("case database " + redact(url) + ": interrupted while the database was busy", e);
                }
            }
        }
    }

    private static final int BUSY_ATTEMPTS = 8;

    private static boolean busy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException se) {
                org.sqlite.SQLiteErrorCode c = se.getResultCode();
                if (c.code == org.sqlite.SQLiteErrorCode.SQLITE_BUSY.code || c.code == org.sqlite.SQLiteErrorCode.SQLITE_LOCKED.code) return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public void close() {
        // Jdbi opens a connection per call; nothing is held between calls.
    }
}
