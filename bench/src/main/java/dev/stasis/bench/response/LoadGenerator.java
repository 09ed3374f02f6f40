package dev.stasis.bench.response;

import dev.stasis.response.action.Actions;
import dev.stasis.response.action.Notifier;
import dev.stasis.response.alert.Target;
import dev.stasis.response.backend.Checkpoint;
import dev.stasis.response.backend.CheckpointBackend;
import dev.stasis.response.backend.CheckpointOptions;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.engine.Metrics;
import dev.stasis.response.engine.PolicySource;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.engine.RetryPolicy;
import dev.stasis.response.journal.Journal;
import dev.stasis.response.server.AlertServer;
import dev.stasis.response.server.Authenticator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Alert load on loopback against a real {@code stasis serve} stack (HTTP
 * server, bearer auth, policy, fsynced journal, engine, JSON logs to a sink)
 * whose checkpoint backend only timestamps the request as it leaves. Bounded
 * in count and time. Prints accepted alerts/s, p50/p99 from the POST leaving
 * the client to the checkpoint request leaving stasis, and from the POST to
 * its 202; then a storm over a few containers to show the cool-down holding.
 *
 * <p>Usage: {@code LoadGenerator [alerts=20000] [concurrency=64[,16,..]] [containers=50] [maxSeconds=60] [socket|jdk]};
 * every listed concurrency is measured in turn; the storm uses the first.
 *
 * <p>A server runs warm, so the warm-up rounds and the measured rounds go to
 * one server, as a long-running engine sees them (a fresh stack per round
 * measured the JIT: each round's shutdown deoptimized code the next had to
 * compile again). Warm-up ends when a round spends under 3% of its time in
 * the JIT, after at most 6 rounds. Each alert goes to a container of its
 * own (no cool-down), so every accepted alert is a checkpoint request.
 *
 * <p>The senders share the machine (and its two cores) with the server, so by
 * default each one is a plain HTTP/1.1 keep-alive socket: the JDK's
 * {@code java.net.http} client costs several times the server's own CPU per
 * request and would mostly measure itself. {@code jdk} selects it anyway.
 */
public final class LoadGenerator {
    public static void main(String[] args) throws Exception {
        int alerts = arg(args, 0, 20000);
        int[] concurrencies = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {64};
        int containers = arg(args, 2, 50);
        int maxSeconds = arg(args, 3, 60);
        boolean jdkClient = args.length > 4 && args[4].equals("jdk");
        int concurrency = concurrencies[0];
        Path dir = Files.createTempDirectory("stasis-load");
        try {
            System.out.printf("stasis response load: %d alerts per round, senders %s (%s), loopback, fsynced journal in %s%n", alerts,
                    Arrays.toString(concurrencies), jdkClient ? "java.net.http client" : "keep-alive socket client", dir);
            var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            var cpu = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            try (Stack stack = new Stack(dir.resolve("a"), "0s")) {
                for (int round = 1; round <= 6; round++) {
                    long jit0 = jit.getTotalCompilationTime();
                    Result w = stack.run(alerts, concurrency, 0, maxSeconds, jdkClient);
                    long jitMs = jit.getTotalCompilationTime() - jit0;
                    System.out.printf("warm-up %d (not the figure): %.0f alerts/s, p50 %.2f ms, p99 %.2f ms; JIT %d ms in %.2f s%n", round,
                            w.accepted / w.seconds, w.p(50), w.p(99), jitMs, w.seconds);
                    if (jitMs < 0.03 * w.seconds * 1000) break;
                }
                for (int c : concurrencies) {
                    long jit0 = jit.getTotalCompilationTime();
                    double load = loadAverage();
                    long cpu0 = cpu.getProcessCpuTime();
                    Result r1 = stack.run(alerts, c, 0, maxSeconds, jdkClient);
                    long cpuNanos = cpu.getProcessCpuTime() - cpu0;
                    long jitMs = jit.getTotalCompilationTime() - jit0;
                    System.out.printf("throughput, %d senders: %d accepted (202) of %d sent in %.2f s = %.0f alerts/s; other answers %d%n",
                            c, r1.accepted, r1.sent, r1.seconds, r1.accepted / r1.seconds, r1.sent - r1.accepted);
                    System.out.printf("  POST -> checkpoint request leaving stasis: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d checkpoints)%n",
                            r1.p(50), r1.p(99), r1.p(100), r1.checkpoints);
                    System.out.printf("  POST -> 202 answer: p50 %.2f ms, p99 %.2f ms; journal: %d records in %d fsyncs (%.1f per fsync); "
                                    + "JIT %d ms; load average %.2f at start%n", r1.answerP(50), r1.answerP(99), r1.journal.records(),
                            r1.journal.fsyncs(), r1.journal.records() / (double) Math.max(1, r1.journal.fsyncs()), jitMs, load);
                    // CPU per alert holds still on a shared machine where alerts/s do not: the capacity of 2 cores is 2 s / that
                    System.out.printf("  CPU (server, engine and senders alike, this JVM): %.0f us per accepted alert; 2 cores' worth = %.0f alerts/s%n",
                            cpuNanos / 1e3 / Math.max(1, r1.accepted), 2e9 / Math.max(1, cpuNanos / (double) Math.max(1, r1.accepted)));
                    System.out.printf("  targets: >= 5000 alerts/s %s, p99 < 20 ms %s%n", r1.accepted / r1.seconds >= 5000 ? "MET" : "MISSED",
                            r1.p(99) < 20 ? "MET" : "MISSED");
                }
            }
            try (Stack stack = new Stack(dir.resolve("b"), "10m")) {
                Result r2 = stack.run(alerts, concurrency, containers, maxSeconds, jdkClient);
                System.out.printf("storm, %d senders: %d alerts over %d containers (cool-down 10m) in %.2f s = %.0f alerts/s -> %d checkpoints, "
                                + "%d containers checkpointed more than once (%s)%n",
                        concurrency, r2.accepted, containers, r2.seconds, r2.accepted / r2.seconds, r2.checkpoints, r2.repeated,
                        r2.checkpoints == containers && r2.repeated == 0 && r2.accepted == alerts ? "dedup held" : "DEDUP BROKEN");
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    record Result(int sent, int accepted, double seconds, long[] latencies, long[] answers, int checkpoints, int repeated, Journal.Stats journal) {
        double p(int pct) {
            return percentile(latencies, pct);
        }

        double answerP(int pct) {
            return percentile(answers, pct);
        }

        private static double percentile(long[] sorted, int pct) {
            if (sorted.length == 0) return Double.NaN;
            int i = Math.min(sorted.length - 1, (int) Math.ceil(pct / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, i)] / 1e6;
        }
    }

    /** One round's bookkeeping: when each alert left the client, when its checkpoint request left stasis, its answer. */
    private record Round(long[] sentAt, AtomicLongArray toCheckpoint, long[] answered, AtomicInteger checkpoints,
                         Map<String, AtomicInteger> perContainer) {
        Round(int alerts) {
            this(new long[alerts], new AtomicLongArray(alerts), new long[alerts], new AtomicInteger(), new ConcurrentHashMap<>());
        }
    }

    /** The serve stack under load: journal, engine and HTTP server, with a timestamping checkpoint backend. */
    private static final class Stack implements AutoCloseable {
        private final Journal journal;
        private final ResponseEngine engine;
        private final AlertServer server;
        private volatile Round round;
        private int serial;

        Stack(Path dir, String cooldown) throws IOException {
            Files.createDirectories(dir);
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, "cooldown: " + cooldown + "\nrules:\n  - name: freeze\n    match: {rule: \"Outbound Connection*\", priority: Critical}\n"
                    + "    actions: [{checkpoint: {backend: podman}}]\n");
            CheckpointBackend timestamping = new CheckpointBackend() {
                public String name() {
                    return "podman";
                }

                public Checkpoint checkpoint(Target t, CheckpointOptions o) {
                    Round r = round;
                    r.checkpoints.incrementAndGet();
                    r.perContainer.computeIfAbsent(t.key(), k -> new AtomicInteger()).incrementAndGet();
                    return new Checkpoint("podman", "", "/dev/null", Instant.now());
                }
            };
            Actions.CheckpointHook hook = in -> {
                Round r = round;
                int seq = Integer.parseInt(in.alert().field("stasis.seq"));
                r.toCheckpoint.set(seq, System.nanoTime() - r.sentAt[seq]);
            };
            // the engine logs as it would in production (one JSON line per acted-on alert and step), to a
            // sink: formatting is part of its per-alert cost, the terminal is not
            JsonLog log = new JsonLog(new java.io.PrintStream(OutputStream.nullOutputStream()));
            journal = Journal.open(dir.resolve("state"), 0);
            Actions actions = new Actions(Map.of("podman", timestamping), "podman", Map.of(), null, new Notifier(HttpClient.newHttpClient()), "load");
            engine = new ResponseEngine(new PolicySource(policy, log), journal, actions, new Metrics(), log, RetryPolicy.defaults(), hook);
            server = new AlertServer(new InetSocketAddress("127.0.0.1", 0), null, false, engine, new Authenticator.Bearer(() -> "load-token"),
                    1 << 20, 0, log);
            server.start();
        }

        /** @param containers alerts cycle over this many containers, or 0 for a container per alert (every alert a checkpoint) */
        Result run(int alerts, int concurrency, int containers, int maxSeconds, boolean jdkClient) throws Exception {
            Round r = new Round(alerts);
            round = r;
            int base = serial;
            serial += alerts;
            Journal.Stats before = journal.stats();
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/alerts");
            // a Falcosidekick-shaped alert; the client builds it by concatenation (String.format would cost the
            // shared cores more than the server's JSON parsing of it)
            String head = "{\"hostname\":\"node-1\",\"priority\":\"Critical\",\"rule\":\"Outbound Connection to C2 Servers\",\"source\":\"syscall\","
                    + "\"tags\":[\"network\"],\"time\":\"2026-11-29T16:31:56.746609046Z\",\"uuid\":\"7c0b9a1e-3c5e-4a55-9b8f-";
            AtomicInteger next = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
            long t0 = System.nanoTime();
            AtomicLong last = new AtomicLong(t0);
            try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < concurrency; c++) {
                    senders.submit(() -> {
                        try (Sender sender = jdkClient ? new JdkSender(uri) : new SocketSender(server.address().getPort())) {
                            StringBuilder b = new StringBuilder(512);
                            for (int i; (i = next.getAndIncrement()) < alerts && System.nanoTime() < deadline; ) {
                                long container = containers > 0 ? i % containers : base + i;
                                b.setLength(0);
                                b.append(head).append(String.valueOf(1_000_000_000_000L + base + i), 1, 13)
                                        .append("\",\"output\":\"load\",\"output_fields\":{\"k8s.ns.name\":\"load\",\"k8s.pod.name\":\"pod-")
                                        .append(container).append("\",\"container.name\":\"app\",\"container.id\":\"")
                                        .append(Long.toHexString(0x1000000000000L + container), 1, 13).append("\",\"stasis.seq\":\"").append(i)
                                        .append("\"}}");
                                byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
                                r.sentAt[i] = System.nanoTime();
                                sent.incrementAndGet();
                                try {
                                    if (sender.post(body) == 202) accepted.incrementAndGet();
                                } catch (Exception e) {
                                    // counted as not accepted
                                }
                                long now = System.nanoTime();
                                r.answered[i] = now - r.sentAt[i];
                                last.accumulateAndGet(now, Math::max);
                            }
                        }
                        return null;
                    });
                }
            }
            double seconds = (last.get() - t0) / 1e9;
            // the engine finishes its queue before the round is counted
            long end = System.nanoTime() + 30_000_000_000L;
            while (engine.metrics().queueDepth().get() > 0 && System.nanoTime() < end) Thread.sleep(10);
            Journal.Stats after = journal.stats();
            long[] lat = new long[alerts];
            int n = 0;
            for (int i = 0; i < alerts; i++) if (r.toCheckpoint.get(i) > 0) lat[n++] = r.toCheckpoint.get(i);
            lat = Arrays.copyOf(lat, n);
            Arrays.sort(lat);
            long[] ans = Arrays.stream(r.answered).filter(x -> x > 0).sorted().toArray();
            int repeated = (int) r.perContainer.values().stream().filter(x -> x.get() > 1).count();
            return new Result(sent.get(), accepted.get(), seconds, lat, ans, r.checkpoints.get(), repeated,
                    new Journal.Stats(after.records() - before.records(), after.fsyncs() - before.fsyncs()));
        }

        @Override
        public void close() {
            server.close();
            engine.close();
        }
    }

    /** One sender's connection: posts a body, returns the status (HaServe uses it too). */
    interface Sender extends AutoCloseable {
        int post(byte[] body) throws IOException, InterruptedException;

        @Override
        void close();
    }

    /** HTTP/1.1 over one keep-alive socket, reconnecting when the server closes it. */
    static final class SocketSender implements Sender {
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        /** Unsynchronized read buffer: BufferedInputStream takes a lock per byte read, a cost the server's cores would pay. */
        private final byte[] buf = new byte[8192];
        private int pos, lim;

        SocketSender(int port) {
            this.port = port;
        }

        public int post(byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.setTcpNoDelay(true);
                out = new BufferedOutputStream(socket.getOutputStream(), 4096);
                in = socket.getInputStream();
                pos = lim = 0;
            }
            try {
                out.write(("POST /alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer load-token\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                String status = line();
                if (status.length() < 12) throw new IOException("connection closed");
                int code = Integer.parseInt(status, 9, 12, 10);
                long length = 0;
                boolean close = false;
                for (String h; !(h = line()).isEmpty(); ) {
                    if (h.regionMatches(true, 0, "content-length:", 0, 15)) length = Long.parseLong(h.substring(15).strip());
                    if (h.regionMatches(true, 0, "connection:", 0, 11) && h.toLowerCase(java.util.Locale.ROOT).contains("close")) close = true;
                }
                skip(length);
                if (close) close();
                return code;
            } catch (IOException | RuntimeException e) {
                close();
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }

        private boolean fill() throws IOException {
            if (pos < lim) return true;
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) return false;
            pos = 0;
            lim = n;
            return true;
        }

        private String line() throws IOException {
            StringBuilder b = null;
            while (true) {
                if (!fill()) throw new IOException("connection closed");
                int start = pos;
                while (pos < lim && buf[pos] != '\n') pos++;
                int end = pos;
                boolean done = pos < lim;
                if (done) pos++;
                if (end > start && buf[end - 1] == '\r' && done) end--;
                String part = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                if (done && b == null) return part;
                if (b == null) b = new StringBuilder(128);
                b.append(part);
                if (done) {
                    int l = b.length();
                    if (l > 0 && b.charAt(l - 1) == '\r') b.setLength(l - 1);
                    return b.toString();
                }
            }
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                if (!fill()) throw new IOException("connection closed");
                int k = (int) Math.min(n, lim - pos);
                pos += k;
                n -= k;
            }
        }

        public void close() {
            if (socket == null) return;
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
            socket = null;
        }
    }

    /** The JDK's java.net.http client (one shared instance). */
    private static final class JdkSender implements Sender {
        private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        private final URI uri;

        JdkSender(URI uri) {
            this.uri = uri;
        }

        public int post(byte[] body) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer load-token")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return CLIENT.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        public void close() {
        }
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
