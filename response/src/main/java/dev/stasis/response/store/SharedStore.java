package dev.stasis.response.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.response.journal.JournalException;
import dev.stasis.response.journal.PendingAlert;
import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The store several {@code stasis serve} replicas share, in PostgreSQL: what
 * the single-replica {@link dev.stasis.response.journal.Journal} keeps in its
 * file (accepted alerts, finished steps, checkpoint attempts, per-container
 * cool-downs), in tables every replica sees (schema: {@code db/migration/stasis-serve},
 * migrated by Flyway on open).
 *
 * <p>Writes are group-committed, as the journal's are: two writer threads,
 * each on its own connection, take everything queued since they last looked
 * and commit it in one transaction, then complete the callers' futures. An
 * alert is admitted in that transaction: its container's cool-down row is
 * taken with {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE cool_until <= now}
 * (the row lock serializes two replicas deciding about one container, and
 * exactly one wins), and the alert row is inserted with the decision. The
 * caller answers 202 only after the commit.
 *
 * <p>An alert that acts is owned by the replica that admitted it, which runs
 * its actions. Ownership is a lease: each replica renews a heartbeat row
 * ({@code serve_replica.alive_until}); alerts still pending whose owner's
 * heartbeat has run out (a replica killed, or its node gone) are taken over by
 * another replica with {@code SELECT ... FOR UPDATE SKIP LOCKED} and resumed
 * from their first unrecorded step, as the journal's are after a restart.
 * The heartbeat, not a lease per alert, is what a replica renews: one row,
 * so renewal never contends with the alert rows the writers update.
 */
public final class SharedStore implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 4096;

    /**
     * An alert to admit.
     *
     * @param rule        the policy rule that matched, or null (no cool-down is taken)
     * @param actsIfFresh actions run when it wins its container's cool-down (false in dry-run)
     * @param coolUntil   the end of the cool-down it starts when it wins (epoch ms)
     * @param alertJson   the alert as received, one JSON object
     */
    public record Admission(String id, long at, String key, String rule, boolean actsIfFresh, long coolUntil, String alertJson) {}

    /** @param deduplicated the container was in its cool-down; @param acts this replica now owns it and runs its actions */
    public record Admitted(boolean deduplicated, boolean acts) {}

    /** Counts since open, for logs and the benchmark. */
    public record Stats(long admitted, long commits, long takenOver, long duplicateSteps, long lostFinishes) {}

    private sealed interface Op permits Admit, Step, Attempt, Finish {}

    private record Admit(Admission a, CompletableFuture<Admitted> done) implements Op {}

    private record Step(String id, int i, String action, String outcome, String detail, String result, long at, CompletableFuture<Boolean> done)
            implements Op {}

    private record Attempt(String id, int i, int attempt, long at, CompletableFuture<Boolean> done) implements Op {}

    private record Finish(String id, String outcome, String detail, long at, CompletableFuture<Boolean> done) implements Op {}

    private final DataSource ds;
    private final String replica;
    private final Duration lease;
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(65536);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong takenOver = new AtomicLong();
    private final AtomicLong duplicateSteps = new AtomicLong();
    private final AtomicLong lostFinishes = new AtomicLong();
    private volatile boolean closed;
    private volatile Consumer<String> trouble = m -> System.err.println("stasis: store: " + m);
    private volatile Consumer<PendingAlert> takeOver;

    private SharedStore(DataSource ds, String replica, Duration lease) {
        this.ds = ds;
        this.replica = replica;
        this.lease = lease;
    }

    /**
     * Connects, migrates the schema and announces this replica (its first heartbeat).
     *
     * @param replica this replica's name: unique per process (a restarted replica is a new one)
     * @param lease   how long a replica's alerts stay its own without a heartbeat
     * @throws JournalException when PostgreSQL cannot be reached or migrated (one line)
     */
    public static SharedStore open(String url, String user, String password, String replica, Duration lease) {
        if (!url.startsWith("jdbc:postgresql:")) throw new JournalException("store.postgres: expected a jdbc:postgresql://HOST[:PORT]/DB URL, got '" + url + "'", null);
        org.postgresql.ds.PGSimpleDataSource ds = dev.stasis.evidence.cases.PostgresSource.of(url, user, password);
        ds.setSocketTimeout(60);
        ds.setApplicationName("stasis-serve " + replica);
        try {
            Flyway.configure(SharedStore.class.getClassLoader()).dataSource(ds).locations("classpath:db/migration/stasis-serve")
                    .table("stasis_serve_schema_history").baselineOnMigrate(true).baselineVersion("0").load().migrate();
        } catch (FlywayException e) {
            throw new JournalException("cannot open the shared store " + url + ": " + root(e), e);
        }
        SharedStore s = new SharedStore(ds, replica, lease);
        try (Connection c = ds.getConnection()) {
            s.heartbeat(c);
        } catch (SQLException e) {
            throw new JournalException("cannot open the shared store " + url + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** Starts the writers, the heartbeat and the take-over of a dead replica's alerts (handed to {@code takeOver}). */
    public void start(Consumer<PendingAlert> takeOver) {
        this.takeOver = takeOver;
        for (int w = 1; w <= 2; w++) threads.add(Thread.ofPlatform().name("stasis-store-" + w).daemon().start(this::writeLoop));
        threads.add(Thread.ofPlatform().name("stasis-store-lease").daemon().start(this::leaseLoop));
    }

    public String replica() {
        return replica;
    }

    public Duration lease() {
        return lease;
    }

    /** Where trouble is reported (the engine's log); default stderr. */
    public void onTrouble(Consumer<String> c) {
        trouble = c == null ? m -> { } : c;
    }

    public Stats stats() {
        return new Stats(admitted.get(), commits.get(), takenOver.get(), duplicateSteps.get(), lostFinishes.get());
    }

    /** Decides the cool-down and records the alert; the future completes once committed. */
    public CompletableFuture<Admitted> admit(Admission a) {
        CompletableFuture<Admitted> f = new CompletableFuture<>();
        return enqueue(new Admit(a, f), f);
    }

    /** Records a finished step; completes with false when it was already recorded (by a replica that then died, or a zombie). */
    public CompletableFuture<Boolean> step(String id, int i, String action, String outcome, String detail, JsonNode result) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        return enqueue(new Step(id, i, action, outcome, detail, result == null ? null : result.toString(), System.currentTimeMillis(), f), f);
    }

    /** Records that a checkpoint of step {@code i} is about to start. */
    public CompletableFuture<Boolean> attempt(String id, int i, int attempt, long at) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        return enqueue(new Attempt(id, i, attempt, at, f), f);
    }

    /** Marks the alert done; completes with false when this replica no longer owned it (taken over meanwhile). */
    public CompletableFuture<Boolean> finish(String id, String outcome, String detail) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        return enqueue(new Finish(id, outcome, detail, System.currentTimeMillis(), f), f);
    }

    private <T> CompletableFuture<T> enqueue(Op op, CompletableFuture<T> f) {
        if (closed) return CompletableFuture.failedFuture(new JournalException("the shared store is closed", null));
        try {
            if (!queue.offer(op, 5, TimeUnit.SECONDS)) return CompletableFuture.failedFuture(new JournalException("the shared store is overloaded", null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new JournalException("interrupted", e));
        }
        return f;
    }

    /** Waits for a queued write; the store's failure as a {@link JournalException}. */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof JournalException j ? j : new JournalException("shared store write failed: " + e.getCause(), e.getCause());
        }
    }

    private void writeLoop() {
        Connection c = null;
        List<Op> batch = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Op first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                try {
                    if (c == null) {
                        c = ds.getConnection();
                        c.setAutoCommit(false);
                    }
                    Runnable complete = write(c, batch);
                    c.commit();
                    commits.incrementAndGet();
                    complete.run();
                } catch (SQLException | RuntimeException e) {
                    // whether a commit that failed half-way landed is unknown: the callers are told it did not
                    // (503 for an alert; the sender may retry), which errs toward acting twice, never toward losing one
                    JournalException j = new JournalException("cannot write the shared store: " + e.getMessage(), e);
                    for (Op op : batch) future(op).completeExceptionally(j);
                    trouble.accept("a write of " + batch.size() + " records failed: " + e.getMessage());
                    c = reset(c);
                }
                batch.clear();
            } catch (InterruptedException e) {
                // only close() interrupts, and the loop then ends once the queue is empty
            }
        }
        reset(c);
    }

    private static CompletableFuture<?> future(Op op) {
        return switch (op) {
            case Admit a -> a.done;
            case Step s -> s.done;
            case Attempt a -> a.done;
            case Finish f -> f.done;
        };
    }

    private static Connection reset(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a broken connection
            }
        }
        return null;
    }

    /** Writes one batch in the open transaction; returns what completes the callers' futures once it commits. */
    private Runnable write(Connection c, List<Op> batch) throws SQLException {
        List<Admit> admits = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        List<Attempt> attempts = new ArrayList<>();
        List<Finish> finishes = new ArrayList<>();
        for (Op op : batch) {
            switch (op) {
                case Admit a -> admits.add(a);
                case Step s -> steps.add(s);
                case Attempt a -> attempts.add(a);
                case Finish f -> finishes.add(f);
            }
        }
        Map<Admit, Admitted> decided = admits.isEmpty() ? Map.of() : admit(c, admits);
        boolean[] stepNew = new boolean[steps.size()];
        if (!steps.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO serve_step (alert_id, i, action, outcome, detail, result, at, by) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (Step s : steps) {
                    ps.setObject(1, UUID.fromString(s.id));
                    ps.setInt(2, s.i);
                    ps.setString(3, s.action);
                    ps.setString(4, s.outcome);
                    ps.setString(5, s.detail);
                    ps.setString(6, s.result);
                    ps.setLong(7, s.at);
                    ps.setString(8, replica);
                    ps.addBatch();
                }
                int[] n = ps.executeBatch();
                for (int k = 0; k < n.length; k++) stepNew[k] = n[k] != 0;
            }
        }
        if (!attempts.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO serve_attempt (alert_id, i, attempt, at, by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (Attempt a : attempts) {
                    ps.setObject(1, UUID.fromString(a.id));
                    ps.setInt(2, a.i);
                    ps.setInt(3, a.attempt);
                    ps.setLong(4, a.at);
                    ps.setString(5, replica);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        boolean[] finished = new boolean[finishes.size()];
        if (!finishes.isEmpty()) {
            // only the owner finishes an alert: one taken over meanwhile is the new owner's to finish
            try (PreparedStatement ps = c.prepareStatement("UPDATE serve_alert SET state = 'done', outcome = ?, detail = ?, finished_at = ?, "
                    + "finished_by = ? WHERE id = ? AND owner = ? AND state = 'pending'")) {
                for (Finish f : finishes) {
                    ps.setString(1, f.outcome);
                    ps.setString(2, f.detail);
                    ps.setLong(3, f.at);
                    ps.setString(4, replica);
                    ps.setObject(5, UUID.fromString(f.id));
                    ps.setString(6, replica);
                    ps.addBatch();
                }
                int[] n = ps.executeBatch();
                for (int k = 0; k < n.length; k++) finished[k] = n[k] != 0;
            }
        }
        return () -> {
            admitted.addAndGet(admits.size());
            for (Admit a : admits) a.done.complete(decided.get(a));
            for (int k = 0; k < steps.size(); k++) {
                if (!stepNew[k]) duplicateSteps.incrementAndGet();
                steps.get(k).done.complete(stepNew[k]);
            }
            for (Attempt a : attempts) a.done.complete(true);
            for (int k = 0; k < finishes.size(); k++) {
                if (!finished[k]) lostFinishes.incrementAndGet();
                finishes.get(k).done.complete(finished[k]);
            }
        };
    }

    /**
     * The cool-down rows first (in key order, so two replicas' transactions lock them in the same
     * order and cannot deadlock), then the alert rows with the decision, in two statements however
     * many alerts the batch holds. Within a batch only the first alert about a container competes
     * for its cool-down; the others about it are deduplicated, as they would be one after the other.
     */
    private Map<Admit, Admitted> admit(Connection c, List<Admit> admits) throws SQLException {
        TreeMap<String, Admit> candidates = new TreeMap<>();
        for (Admit a : admits) if (a.a.rule() != null) candidates.putIfAbsent(a.a.key(), a);
        Set<String> won = new HashSet<>();
        if (!candidates.isEmpty()) {
            int n = candidates.size();
            String[] keys = new String[n];
            Long[] at = new Long[n];
            Long[] until = new Long[n];
            UUID[] ids = new UUID[n];
            int k = 0;
            for (Admit a : candidates.values()) {
                keys[k] = a.a.key();
                at[k] = a.a.at();
                until[k] = a.a.coolUntil();
                ids[k++] = UUID.fromString(a.a.id());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO serve_cooldown (target_key, acted_at, cool_until, alert_id) "
                    + "SELECT k, a, u, i FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::uuid[]) AS x(k, a, u, i) ORDER BY k "
                    + "ON CONFLICT (target_key) DO UPDATE SET acted_at = EXCLUDED.acted_at, cool_until = EXCLUDED.cool_until, alert_id = EXCLUDED.alert_id "
                    + "WHERE serve_cooldown.cool_until <= EXCLUDED.acted_at RETURNING target_key")) {
                ps.setArray(1, c.createArrayOf("text", keys));
                ps.setArray(2, c.createArrayOf("bigint", at));
                ps.setArray(3, c.createArrayOf("bigint", until));
                ps.setArray(4, c.createArrayOf("uuid", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) won.add(rs.getString(1));
                }
            }
        }
        int n = admits.size();
        UUID[] ids = new UUID[n];
        Long[] at = new Long[n];
        String[] keys = new String[n];
        String[] rules = new String[n];
        Boolean[] dedup = new Boolean[n];
        Boolean[] acts = new Boolean[n];
        String[] alerts = new String[n];
        Map<Admit, Admitted> out = new HashMap<>();
        for (int k = 0; k < n; k++) {
            Admit a = admits.get(k);
            boolean matched = a.a.rule() != null;
            boolean fresh = matched && candidates.get(a.a.key()) == a && won.contains(a.a.key());
            Admitted d = new Admitted(matched && !fresh, fresh && a.a.actsIfFresh());
            out.put(a, d);
            ids[k] = UUID.fromString(a.a.id());
            at[k] = a.a.at();
            keys[k] = a.a.key();
            rules[k] = a.a.rule();
            dedup[k] = d.deduplicated();
            acts[k] = d.acts();
            alerts[k] = a.a.alertJson();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO serve_alert (id, received_at, target_key, rule, deduplicated, acts, alert, "
                + "accepted_by, state, owner) SELECT i, a, k, r, d, x, j, ?, CASE WHEN x THEN 'pending' ELSE 'done' END, CASE WHEN x THEN ? END "
                + "FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::boolean[], ?::boolean[], ?::text[]) AS t(i, a, k, r, d, x, j)")) {
            ps.setString(1, replica);
            ps.setString(2, replica);
            ps.setArray(3, c.createArrayOf("uuid", ids));
            ps.setArray(4, c.createArrayOf("bigint", at));
            ps.setArray(5, c.createArrayOf("text", keys));
            ps.setArray(6, c.createArrayOf("text", rules));
            ps.setArray(7, c.createArrayOf("boolean", dedup));
            ps.setArray(8, c.createArrayOf("boolean", acts));
            ps.setArray(9, c.createArrayOf("text", alerts));
            ps.executeUpdate();
        }
        return out;
    }

    /** Renews this replica's heartbeat every third of the lease and takes over the alerts of replicas whose heartbeat ran out. */
    private void leaseLoop() {
        Connection c = null;
        long every = Math.max(100, lease.toMillis() / 3);
        while (!closed) {
            try {
                if (c == null) c = ds.getConnection();
                heartbeat(c);
                if (takeOver != null) for (PendingAlert p : takeOverExpired(c)) takeOver.accept(p);
            } catch (SQLException | RuntimeException e) {
                trouble.accept("heartbeat / take-over failed (retried in " + every + " ms): " + e.getMessage());
                c = reset(c);
            }
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                if (closed) break;
            }
        }
        reset(c);
    }

    private void heartbeat(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO serve_replica (name, alive_until) VALUES (?, now() + ?::interval) "
                + "ON CONFLICT (name) DO UPDATE SET alive_until = EXCLUDED.alive_until")) {
            ps.setString(1, replica);
            ps.setString(2, lease.toMillis() + " milliseconds");
            ps.executeUpdate();
        }
    }

    /**
     * Pending alerts whose owner has no live heartbeat become this replica's, at most 256 per pass,
     * oldest first; {@code SKIP LOCKED}: two replicas taking over at once split them instead of waiting.
     */
    private List<PendingAlert> takeOverExpired(Connection c) throws SQLException {
        Map<String, ObjectNode[]> rows = new LinkedHashMap<>();
        Map<String, PendingAlert> base = new LinkedHashMap<>();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("WITH dead AS (SELECT a.id FROM serve_alert a WHERE a.state = 'pending' AND NOT EXISTS "
                    + "(SELECT 1 FROM serve_replica r WHERE r.name = a.owner AND r.alive_until > now()) ORDER BY a.received_at LIMIT 256 "
                    + "FOR UPDATE OF a SKIP LOCKED) UPDATE serve_alert s SET owner = ?, claims = s.claims + 1 FROM dead WHERE s.id = dead.id "
                    + "RETURNING s.id, s.received_at, s.target_key, s.rule, s.alert")) {
                ps.setString(1, replica);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        JsonNode alert;
                        try {
                            alert = JSON.readTree(rs.getString(5));
                        } catch (IOException e) {
                            alert = JSON.getNodeFactory().textNode(rs.getString(5));
                        }
                        base.put(id, new PendingAlert(id, rs.getLong(2), rs.getString(3), rs.getString(4), alert, Map.of(), Map.of()));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        if (base.isEmpty()) return List.of();
        UUID[] ids = base.keySet().stream().map(UUID::fromString).toArray(UUID[]::new);
        Map<String, Map<Integer, JsonNode>> steps = new HashMap<>();
        Map<String, Map<Integer, JsonNode>> attempts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alert_id, i, action, outcome, detail, result FROM serve_step WHERE alert_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // the shape of the journal's step record, which the engine's resume reads
                    ObjectNode s = JSON.createObjectNode().put("t", "step").put("id", rs.getString(1)).put("i", rs.getInt(2))
                            .put("type", rs.getString(3)).put("outcome", rs.getString(4));
                    if (rs.getString(5) != null) s.put("detail", rs.getString(5));
                    if (rs.getString(6) != null) {
                        try {
                            s.set("result", JSON.readTree(rs.getString(6)));
                        } catch (IOException e) {
                            s.put("result", rs.getString(6));
                        }
                    }
                    steps.computeIfAbsent(rs.getString(1), x -> new TreeMap<>()).put(rs.getInt(2), s);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT alert_id, i, min(attempt), min(at) FROM serve_attempt WHERE alert_id = ANY (?) GROUP BY alert_id, i")) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode a = JSON.createObjectNode().put("t", "attempt").put("id", rs.getString(1)).put("i", rs.getInt(2))
                            .put("try", rs.getInt(3)).put("at", rs.getLong(4));
                    attempts.computeIfAbsent(rs.getString(1), x -> new TreeMap<>()).put(rs.getInt(2), a);
                }
            }
        }
        List<PendingAlert> out = new ArrayList<>(base.size());
        for (PendingAlert p : base.values()) {
            out.add(new PendingAlert(p.id(), p.receivedAt(), p.key(), p.rule(), p.alert(), Map.copyOf(steps.getOrDefault(p.id(), Map.of())),
                    Map.copyOf(attempts.getOrDefault(p.id(), Map.of()))));
        }
        takenOver.addAndGet(out.size());
        return out;
    }

    /**
     * Stops taking writes, commits what is queued, and ends this replica's heartbeat so that the
     * alerts it leaves unfinished are taken over at once rather than after the lease.
     */
    @Override
    public void close() {
        stop(true);
    }

    /** Stops like a replica killed with -9 does, its heartbeat left to run out: for the take-over tests. */
    void abandon() {
        stop(false);
    }

    private void stop(boolean goodbye) {
        if (closed) return;
        closed = true;
        for (Thread t : threads) {
            // the writers finish the queue (they look every 200 ms); the lease loop sleeps longer
            if (t.getName().endsWith("lease")) t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!goodbye) return;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE serve_replica SET alive_until = now() WHERE name = ?")) {
            ps.setString(1, replica);
            ps.executeUpdate();
        } catch (SQLException e) {
            // its lease then runs out by itself
        }
    }

    private static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
