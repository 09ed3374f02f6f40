package dev.stasis.evidence.cases;

import dev.stasis.evidence.Hashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    /** Opens and migrates the database; a PostgreSQL that is unreachable gives a one-line {@link CaseException}. */
    public static CaseStore open(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:"))
            throw new CaseException("unsupported case database URL '" + jdbcUrl + "' (jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB)");
        try {
            if (jdbcUrl.startsWith("jdbc:sqlite:")) {
                Path file = Path.of(jdbcUrl.substring("jdbc:sqlite:".length()));
                if (file.getParent() != null) dev.stasis.evidence.internal.SecureFiles.createPrivateDirectories(file.toAbsolutePath().getParent());
                // created 0600 before SQLite opens it, so it never exists with wider permissions
                if (!java.nio.file.Files.exists(file)) dev.stasis.evidence.internal.SecureFiles.writeNew(file, new byte[0], true);
            }
            javax.sql.DataSource ds = dataSource(jdbcUrl, user, password);
            Flyway.configure(CaseStore.class.getClassLoader())
                    .dataSource(ds)
                    .locations("classpath:db/migration/stasis")
                    .table("stasis_schema_history")
                    .load()
                    .migrate();
            return new CaseStore(Jdbi.create(ds), jdbcUrl);
        } catch (FlywayException e) {
            throw new CaseException("cannot open the case database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        } catch (java.io.IOException e) {
            throw new CaseException("cannot create the case database directory for " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** SQLite with foreign keys enforced and a busy timeout (several processes share the file); PostgreSQL plain. */
    private static javax.sql.DataSource dataSource(String url, String user, String password) {
        if (url.startsWith("jdbc:sqlite:")) {
            org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
            cfg.enforceForeignKeys(true);
            cfg.setBusyTimeout(30_000);
            org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource(cfg);
            ds.setUrl(url);
            return ds;
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(url);
        if (user != null) ds.setUser(user);
        if (password != null) ds.setPassword(password);
        ds.setConnectTimeout(5);
        ds.setLoginTimeout(5);
        return ds;
    }


    public String url() {
        return redact(url);
    }

    public CaseSummary create(String name, String title, String by) {
        checkName(name);
        return call(h -> {
            if (exists(h, name)) throw new CaseException("case " + name + " already exists");
            h.createUpdate("INSERT INTO cases(name, title, status, created_at, created_by) VALUES (?, ?, 'open', ?, ?)")
                    .bind(0, name).bind(1, title == null ? "" : title).bind(2, now()).bind(3, by).execute();
            return summary(h, name);
        });
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
            int n = h.createQuery("SELECT COUNT(*) FROM case_evidence WHERE case_name = ? AND item_id = ?").bind(0, name).bind(1, id).mapTo(Integer.class).one();
            if (n > 0) return false;
            h.createUpdate("INSERT INTO case_evidence(case_name, item_id, added_at, added_by) VALUES (?, ?, ?, ?)")
                    .bind(0, name).bind(1, id).bind(2, now()).bind(3, by).execute();
            return true;
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
            int n = h.createQuery("SELECT COUNT(*) FROM case_tags WHERE case_name = ? AND tag = ?").bind(0, name).bind(1, tag).mapTo(Integer.class).one();
            if (n > 0) return false;
            h.createUpdate("INSERT INTO case_tags(case_name, tag) VALUES (?, ?)").bind(0, name).bind(1, tag).execute();
            return true;
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

    private <T> T call(org.jdbi.v3.core.HandleCallback<T, RuntimeException> cb) {
        try {
            return jdbi.inTransaction(h -> {
                return cb.withHandle(h);
            });
        } catch (JdbiException e) {
            throw new CaseException("case database " + redact(url) + ": " + rootMessage(e), e);
        }
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
