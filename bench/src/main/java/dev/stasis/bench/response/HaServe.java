package dev.stasis.bench.response;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two {@code stasis serve} processes sharing one PostgreSQL, against one
 * serving the default file journal alone. Driven by {@code bench/ha-serve.sh},
 * which writes the configurations and the stand-in podman (it records each
 * checkpoint request in a calls file and writes a real checkpoint archive).
 *
 * <p>Rounds: (1) the single replica: ALERTS alerts; (2) the two replicas:
 * ALERTS alerts split across both (alternately), with the first replica's JVM
 * killed with SIGKILL (its podman children live on, as they would) after half
 * of them were sent, and started
 * again RESTART_MS later. A sender whose POST to the killed replica gets no
 * answer sends the alert to the other one (what a Service does); that is a new
 * POST (a new {@code stasis.try}), so every 202 names one POST. Alerts come in
 * blocks of ALERTS/CONTAINERS about one container, so new containers keep
 * arriving while the replica dies and alerts about one container reach both.
 *
 * <p>Checked afterwards, from the tables (plain SQL) and the calls file: every
 * POST answered 202 is one row, finished; each container has exactly one
 * checkpoint request in the calls file; what was taken over.
 *
 * <p>Usage: {@code HaServe ALERTS CONTAINERS CONCURRENCY SINGLE_CMD_FILE A_CMD_FILE B_CMD_FILE CALLS_FILE PG_URL PG_USER PG_PASSWORD [RESTART_MS]}
 * where a CMD_FILE holds one replica's command line (one argument per line) and its first line is its port.
 */
public final class HaServe {
    public static void main(String[] args) throws Exception {
        int alerts = Integer.parseInt(args[0]);
        int containers = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        Replica single = Replica.read(Path.of(args[3]), "single");
        Replica a = Replica.read(Path.of(args[4]), "A");
        Replica b = Replica.read(Path.of(args[5]), "B");
        Path calls = Path.of(args[6]);
        String url = args[7], user = args[8], password = args[9];
        long restartMs = args.length > 10 ? Long.parseLong(args[10]) : 3000;

        System.out.printf("stasis serve HA: %d alerts over %d containers (cool-down 1h: one checkpoint each), %d keep-alive senders, loopback%n",
                alerts, containers, concurrency);
        // round 1: one replica, file journal
        single.start();
        warmUp(concurrency, new Replica[] {single}, alerts);
        Round r1 = new Round(alerts, containers);
        r1.send(concurrency, new Replica[] {single}, null, 0);
        single.awaitIdle(calls, containers, 120);
        single.stop();
        Map<String, Integer> c1 = checkpoints(calls);
        System.out.printf("single replica (file journal): %d POSTs, %d answered 202 in %.2f s = %.0f alerts/s; POST->202 p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                r1.posts.get(), r1.accepted.get(), r1.seconds(), r1.accepted.get() / r1.seconds(), r1.p(50), r1.p(99), r1.p(100));
        System.out.printf("  checkpoint requests: %d for %d containers, %d containers more than once%n", c1.values().stream().mapToInt(i -> i).sum(),
                c1.size(), c1.values().stream().filter(i -> i > 1).count());
        Files.writeString(calls, "");

        // round 2: two replicas sharing PostgreSQL, A killed mid-stream and restarted
        a.start();
        b.start();
        warmUp(concurrency, new Replica[] {a, b}, alerts);
        Round r2 = new Round(alerts, containers);
        r2.send(concurrency, new Replica[] {a, b}, a, restartMs);
        long drained = awaitDone(url, user, password, 180);
        System.out.printf("two replicas (shared PostgreSQL): %d POSTs, %d answered 202 in %.2f s = %.0f alerts/s; POST->202 p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                r2.posts.get(), r2.accepted.get(), r2.seconds(), r2.accepted.get() / r2.seconds(), r2.p(50), r2.p(99), r2.p(100));
        System.out.printf("  replica A killed (SIGKILL) after %d alerts sent, at %.2f s; started again %d ms later, serving again at %.2f s; "
                + "%d POSTs to A unanswered and sent to B instead; %d alerts never answered 202%n", r2.killedAfter, r2.killedAt, restartMs,
                r2.backAt, r2.failedOver.get(), alerts - r2.acceptedSeqs.size());
        System.out.printf("  the last alert finished %.1f s after the last 202%n", drained / 1000.0);
        System.out.printf("  two replicas / one: %.2fx the alerts/s, %.2fx the p99 (both on this machine's cores: correctness, not scale-out)%n",
                (r2.accepted.get() / r2.seconds()) / (r1.accepted.get() / r1.seconds()), r2.p(99) / r1.p(99));
        verify(url, user, password, r2, calls, containers);
        a.stop();
        b.stop();
    }

    /**
     * The same number of alerts that no policy rule matches, not measured: fresh JVMs compile the
     * intake path meanwhile (as a long-running engine has), and nothing is checkpointed.
     */
    static void warmUp(int concurrency, Replica[] replicas, int alerts) throws Exception {
        Round w = new Round(alerts, 1);
        w.warm = true;
        w.send(concurrency, replicas, null, 0);
        System.out.printf("  warm-up (not the figure): %d alerts no rule matches, %.0f alerts/s, p99 %.2f ms%n", w.accepted.get(),
                w.accepted.get() / w.seconds(), w.p(99));
    }

    /** One replica's process: its port and command line; kill -9 as the kernel does it. */
    static final class Replica {
        final String name;
        final int port;
        final List<String> command;
        final Path log;
        Process process;

        Replica(String name, int port, List<String> command, Path log) {
            this.name = name;
            this.port = port;
            this.command = command;
            this.log = log;
        }

        static Replica read(Path file, String name) throws IOException {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isEmpty()).toList();
            return new Replica(name, Integer.parseInt(lines.getFirst()), lines.subList(1, lines.size()), file.resolveSibling(name + ".log"));
        }

        void start() throws Exception {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new IllegalStateException("replica " + name + " exited " + process.exitValue() + "; see " + log);
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.getOutputStream().write("GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                    if (status.endsWith("200")) return;
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("replica " + name + " not ready within 120 s; see " + log);
        }

        void kill() {
            process.toHandle().destroyForcibly(); // SIGKILL
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM: the shutdown hook closes the engine
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }

        /** The single replica has no table to ask: it is idle once every container's checkpoint request is in the calls file. */
        void awaitIdle(Path calls, int containers, int seconds) throws Exception {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (checkpoints(calls).size() < containers && System.nanoTime() < deadline) Thread.sleep(100);
            Thread.sleep(1000); // the last archive copies
        }
    }

    /** One round's bookkeeping, per POST: latency, status. */
    static final class Round {
        final int alerts, containers;
        final long[] answered;
        final AtomicInteger posts = new AtomicInteger(), accepted = new AtomicInteger(), failedOver = new AtomicInteger();
        final Set<Integer> acceptedSeqs = ConcurrentHashMap.newKeySet();
        /** "seq/try" of every POST answered 202. */
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        long t0, t1;
        boolean warm;
        volatile int killedAfter;
        volatile double killedAt, backAt;

        Round(int alerts, int containers) {
            this.alerts = alerts;
            this.containers = containers;
            this.answered = new long[alerts];
        }

        double seconds() {
            return (t1 - t0) / 1e9;
        }

        double p(int pct) {
            long[] s = Arrays.stream(answered).filter(x -> x > 0).sorted().toArray();
            if (s.length == 0) return Double.NaN;
            return s[Math.max(0, Math.min(s.length - 1, (int) Math.ceil(pct / 100.0 * s.length) - 1))] / 1e6;
        }

        String body(int seq, int attempt) {
            int container = (int) ((long) seq * containers / alerts);
            return "{\"hostname\":\"node-1\",\"priority\":\"Critical\",\"rule\":\"" + (warm ? "Warm-up, no rule matches" : "Outbound Connection to C2 Servers")
                    + "\",\"source\":\"syscall\",\"tags\":[\"network\"],\"time\":\"2026-11-29T16:31:56.746609046Z\",\"output\":\"ha\","
                    + "\"output_fields\":{\"k8s.ns.name\":\"ha\","
                    + "\"k8s.pod.name\":\"pod-" + container + "\",\"container.name\":\"app\",\"container.id\":\"" + String.format("%012x", 0xc0000000L + container)
                    + (warm ? "\",\"stasis.warm\":\"" : "\",\"stasis.seq\":\"") + seq + "\",\"stasis.try\":\"" + attempt + "\"}}";
        }

        /**
         * Sends every alert once (to replicas[seq % n]); with {@code victim}, kills it after half were
         * sent and starts it again {@code restartMs} later, and a POST it does not answer goes to the other.
         */
        void send(int concurrency, Replica[] replicas, Replica victim, long restartMs) throws Exception {
            AtomicInteger next = new AtomicInteger();
            AtomicReference<Thread> restarter = new AtomicReference<>();
            Set<Replica> down = ConcurrentHashMap.newKeySet();
            t0 = System.nanoTime();
            AtomicLong last = new AtomicLong(t0);
            try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < concurrency; c++) {
                    senders.submit(() -> {
                        Map<Replica, LoadGenerator.SocketSender> conns = new HashMap<>();
                        try {
                            for (int seq; (seq = next.getAndIncrement()) < alerts; ) {
                                if (victim != null && seq == alerts / 2) {
                                    down.add(victim);
                                    victim.kill();
                                    killedAfter = seq;
                                    killedAt = (System.nanoTime() - t0) / 1e9;
                                    Thread t = Thread.ofPlatform().start(() -> {
                                        try {
                                            Thread.sleep(restartMs);
                                            victim.start();
                                            backAt = (System.nanoTime() - t0) / 1e9;
                                            down.remove(victim);
                                        } catch (Exception e) {
                                            System.out.println("restart failed: " + e);
                                        }
                                    });
                                    restarter.set(t);
                                }
                                Replica to = replicas[seq % replicas.length];
                                for (int attempt = 1; attempt <= 10; attempt++) {
                                    if (down.contains(to)) to = other(replicas, to);
                                    LoadGenerator.SocketSender s = conns.computeIfAbsent(to, r -> new LoadGenerator.SocketSender(r.port));
                                    byte[] b = body(seq, attempt).getBytes(StandardCharsets.UTF_8);
                                    long start = System.nanoTime();
                                    posts.incrementAndGet();
                                    int status;
                                    try {
                                        status = s.post(b);
                                    } catch (IOException e) {
                                        status = -1;
                                    }
                                    long now = System.nanoTime();
                                    last.accumulateAndGet(now, Math::max);
                                    if (status == 202) {
                                        answered[seq] = now - start;
                                        accepted.incrementAndGet();
                                        acceptedSeqs.add(seq);
                                        acked.add(seq + "/" + attempt);
                                        break;
                                    }
                                    // no answer (the replica died) or a refusal: the other replica, as a Service would route it
                                    if (to == victim) failedOver.incrementAndGet();
                                    to = other(replicas, to);
                                }
                            }
                        } finally {
                            conns.values().forEach(LoadGenerator.SocketSender::close);
                        }
                        return null;
                    });
                }
            }
            t1 = last.get();
            Thread t = restarter.get();
            if (t != null) t.join();
        }

        private static Replica other(Replica[] replicas, Replica r) {
            return replicas.length == 1 ? r : replicas[0] == r ? replicas[1] : replicas[0];
        }
    }

    /** Waits until no alert in the store is pending; returns how long that took (ms). */
    static long awaitDone(String url, String user, String password, int seconds) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + seconds * 1_000_000_000L;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM serve_alert WHERE state = 'pending'")) {
                    rs.next();
                    if (rs.getLong(1) == 0) break;
                }
                Thread.sleep(200);
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Checkpoint requests per container id, from the stand-in podman's calls file (one line per request: CONTAINER ARCHIVE PID). */
    static Map<String, Integer> checkpoints(Path calls) throws IOException {
        Map<String, Integer> m = new HashMap<>();
        if (!Files.exists(calls)) return m;
        for (String l : Files.readAllLines(calls)) if (!l.isBlank()) m.merge(l.split(" ")[0], 1, Integer::sum);
        return m;
    }

    static void verify(String url, String user, String password, Round r, Path calls, int containers) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        Map<String, String> state = new HashMap<>();
        long taken = 0, pending = 0, acting = 0, done = 0, rowsTotal = 0;
        Map<String, Long> byReplica = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (alert::json)->'output_fields'->>'stasis.seq', (alert::json)->'output_fields'->>'stasis.try', state, "
                     + "acts, claims, accepted_by FROM serve_alert WHERE (alert::json)->'output_fields'->>'stasis.seq' IS NOT NULL")) {
            while (rs.next()) {
                String key = rs.getString(1) + "/" + rs.getString(2);
                rows.merge(key, 1, Integer::sum);
                state.put(key, rs.getString(3));
                rowsTotal++;
                if (rs.getBoolean(4)) acting++;
                if (rs.getInt(5) > 1) taken++;
                if ("pending".equals(rs.getString(3))) pending++;
                else done++;
                byReplica.merge(rs.getString(6).replaceAll("-[0-9]+-[0-9a-f]+$", ""), 1L, Long::sum);
            }
        }
        long ackedMissing = r.acked.stream().filter(k -> !rows.containsKey(k)).count();
        long ackedTwice = r.acked.stream().filter(k -> rows.getOrDefault(k, 0) > 1).count();
        long ackedNotDone = r.acked.stream().filter(k -> rows.containsKey(k) && !"done".equals(state.get(k))).count();
        Set<String> unacked = new HashSet<>(rows.keySet());
        unacked.removeAll(r.acked);
        long steps, dupSteps;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(*) - count(DISTINCT (alert_id, i)) FROM serve_step")) {
            rs.next();
            steps = rs.getLong(1);
            dupSteps = rs.getLong(2);
        }
        Map<String, Integer> cp = checkpoints(calls);
        long twice = cp.values().stream().filter(i -> i > 1).count();
        System.out.printf("  store: %d alert rows (%s by accepting replica), %d done, %d pending; %d acted on; %d taken over from a dead replica; "
                + "%d steps recorded (%d recorded twice)%n", rowsTotal, byReplica, done, pending, acting, taken, steps, dupSteps);
        System.out.printf("  every 202: %d POSTs answered 202; %d not in the store, %d in it twice, %d not finished -> %s%n", r.acked.size(), ackedMissing,
                ackedTwice, ackedNotDone, ackedMissing == 0 && ackedTwice == 0 && ackedNotDone == 0 ? "each processed exactly once" : "BROKEN");
        System.out.printf("  %d rows without a 202 (committed by the killed replica, which died before answering: at least once for those)%n",
                unacked.size());
        System.out.printf("  checkpoint requests (stand-in podman's calls file): %d for %d of %d containers, %d containers more than once -> %s%n",
                cp.values().stream().mapToInt(i -> i).sum(), cp.size(), containers, twice,
                cp.size() == containers && twice == 0 ? "exactly once per container" : "NOT EXACTLY ONCE");
        if (twice > 0) cp.entrySet().stream().filter(e -> e.getValue() > 1).limit(5).forEach(e -> System.out.println("    " + e));
    }

    private HaServe() {}
}
