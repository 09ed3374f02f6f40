package dev.stasis.response.bench;

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
import java.io.BufferedInputStream;
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
import java.time.Duration;
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
 * server, bearer auth, policy, fsynced journal, engine) whose checkpoint
 * backend only timestamps the request as it leaves. Bounded in count and
 * time. Prints accepted alerts/s and p50/p99 from POST to checkpoint request,
 * then a storm over a few containers to show the cool-down holding.
 *
 * <p>Usage: {@code LoadGenerator [alerts=20000] [concurrency=64] [containers=50] [maxSeconds=60] [socket|jdk]}
 *
 * <p>The senders share the machine (and its two cores) with the server, so by
 * default each one is a plain HTTP/1.1 keep-alive socket: the JDK's
 * {@code java.net.http} client costs several times the server's own CPU per
 * request and would mostly measure itself. {@code jdk} selects it anyway.
 */
public final class LoadGenerator {
    public static void main(String[] args) throws Exception {
        int alerts = arg(args, 0, 20000);
        int concurrency = arg(args, 1, 64);
        int containers = arg(args, 2, 50);
        int maxSeconds = arg(args, 3, 60);
        boolean jdkClient = args.length > 4 && args[4].equals("jdk");
        Path dir = Files.createTempDirectory("stasis-load");
        try {
            System.out.printf("stasis response load: %d alerts, %d concurrent senders (%s), loopback, fsynced journal in %s%n", alerts, concurrency,
                    jdkClient ? "java.net.http client" : "keep-alive socket client", dir);
            // A server runs warm; the first tens of thousands of requests of a fresh JVM
            // run interpreted or in C1 code. That round is shown, then measured again warm.
            Result cold = run(dir.resolve("w"), alerts, concurrency, alerts, "0s", maxSeconds, jdkClient);
            System.out.printf("warm-up (cold JVM, not the figure): %d accepted in %.2f s = %.0f alerts/s, p50 %.2f ms, p99 %.2f ms%n",
                    cold.accepted, cold.seconds, cold.accepted / cold.seconds, cold.p(50), cold.p(99));
            Result r1 = run(dir.resolve("a"), alerts, concurrency, alerts, "0s", maxSeconds, jdkClient);
            System.out.printf("throughput: %d accepted (202) of %d sent in %.2f s = %.0f alerts/s; other answers %d%n",
                    r1.accepted, r1.sent, r1.seconds, r1.accepted / r1.seconds, r1.sent - r1.accepted);
            System.out.printf("POST -> checkpoint request leaving stasis: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d checkpoints)%n",
                    r1.p(50), r1.p(99), r1.p(100), r1.checkpoints);
            System.out.printf("journal: %d records in %d fsyncs (%.1f records per fsync)%n", r1.journal.records(), r1.journal.fsyncs(),
                    r1.journal.records() / (double) Math.max(1, r1.journal.fsyncs()));
            System.out.printf("targets: >= 5000 alerts/s %s, p99 < 20 ms %s%n", r1.accepted / r1.seconds >= 5000 ? "MET" : "MISSED",
                    r1.p(99) < 20 ? "MET" : "MISSED");
            Result r2 = run(dir.resolve("b"), alerts, concurrency, containers, "10m", maxSeconds, jdkClient);
            System.out.printf("storm: %d alerts over %d containers (cool-down 10m) in %.2f s = %.0f alerts/s -> %d checkpoints (%s)%n",
                    r2.accepted, containers, r2.seconds, r2.accepted / r2.seconds, r2.checkpoints,
                    r2.checkpoints == containers ? "dedup held" : "DEDUP BROKEN");
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Result(int sent, int accepted, double seconds, long[] latencies, int checkpoints, Journal.Stats journal) {
        double p(int pct) {
            if (latencies.length == 0) return Double.NaN;
            int i = Math.min(latencies.length - 1, (int) Math.ceil(pct / 100.0 * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    static Result run(Path dir, int alerts, int concurrency, int containers, String cooldown, int maxSeconds, boolean jdkClient) throws Exception {
        Files.createDirectories(dir);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "cooldown: " + cooldown + "\nrules:\n  - name: freeze\n    match: {rule: \"Outbound Connection*\", priority: Critical}\n"
                + "    actions: [{checkpoint: {backend: podman}}]\n");
        long[] sentAt = new long[alerts];
        AtomicLongArray latency = new AtomicLongArray(alerts);
        AtomicInteger checkpoints = new AtomicInteger();
        CheckpointBackend timestamping = new CheckpointBackend() {
            public String name() {
                return "podman";
            }

            public Checkpoint checkpoint(Target t, CheckpointOptions o) {
                checkpoints.incrementAndGet();
                return new Checkpoint("podman", "", "/dev/null", Instant.now());
            }
        };
        Actions.CheckpointHook hook = in -> {
            int seq = Integer.parseInt(in.alert().field("stasis.seq"));
            latency.set(seq, System.nanoTime() - sentAt[seq]);
        };
        Journal journal = Journal.open(dir.resolve("state"), 0);
        Actions actions = new Actions(Map.of("podman", timestamping), "podman", Map.of(), null, new Notifier(HttpClient.newHttpClient()), "load");
        ResponseEngine engine = new ResponseEngine(new PolicySource(policy, JsonLog.SILENT), journal, actions, new Metrics(), JsonLog.SILENT,
                RetryPolicy.defaults(), hook);
        AlertServer server = new AlertServer(new InetSocketAddress("127.0.0.1", 0), null, false, engine, new Authenticator.Bearer(() -> "load-token"),
                1 << 20, 0, JsonLog.SILENT);
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/alerts");
        String template = "{\"hostname\":\"node-1\",\"priority\":\"Critical\",\"rule\":\"Outbound Connection to C2 Servers\",\"source\":\"syscall\","
                + "\"tags\":[\"network\"],\"time\":\"2026-11-29T16:31:56.746609046Z\",\"uuid\":\"%s\",\"output\":\"load\",\"output_fields\":{"
                + "\"k8s.ns.name\":\"load\",\"k8s.pod.name\":\"pod-%d\",\"container.name\":\"app\",\"container.id\":\"%012x\",\"stasis.seq\":\"%d\"}}";
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
                        for (int i; (i = next.getAndIncrement()) < alerts && System.nanoTime() < deadline; ) {
                            int pod = i % containers;
                            byte[] body = String.format(template, java.util.UUID.randomUUID(), pod, pod, i).getBytes(StandardCharsets.UTF_8);
                            sentAt[i] = System.nanoTime();
                            sent.incrementAndGet();
                            try {
                                if (sender.post(body) == 202) accepted.incrementAndGet();
                            } catch (Exception e) {
                                // counted as not accepted
                            }
                            last.accumulateAndGet(System.nanoTime(), Math::max);
                        }
                    }
                    return null;
                });
            }
        }
        double seconds = (last.get() - t0) / 1e9;
        // the engine finishes its queue
        long end = System.nanoTime() + 30_000_000_000L;
        while (engine.metrics().queueDepth().get() > 0 && System.nanoTime() < end) Thread.sleep(10);
        server.close();
        Journal.Stats stats = journal.stats();
        engine.close();
        long[] lat = new long[alerts];
        int n = 0;
        for (int i = 0; i < alerts; i++) if (latency.get(i) > 0) lat[n++] = latency.get(i);
        lat = Arrays.copyOf(lat, n);
        Arrays.sort(lat);
        return new Result(sent.get(), accepted.get(), seconds, lat, checkpoints.get(), stats);
    }

    /** One sender's connection: posts a body, returns the status. */
    private interface Sender extends AutoCloseable {
        int post(byte[] body) throws IOException, InterruptedException;

        @Override
        void close();
    }

    /** HTTP/1.1 over one keep-alive socket, reconnecting when the server closes it. */
    private static final class SocketSender implements Sender {
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        SocketSender(int port) {
            this.port = port;
        }

        public int post(byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.setTcpNoDelay(true);
                out = new BufferedOutputStream(socket.getOutputStream(), 4096);
                in = new BufferedInputStream(socket.getInputStream(), 4096);
            }
            try {
                out.write(("POST /alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer load-token\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                String status = line();
                if (status == null || status.length() < 12) throw new IOException("connection closed");
                int code = Integer.parseInt(status.substring(9, 12));
                long length = 0;
                boolean close = false;
                for (String h; !(h = line()).isEmpty(); ) {
                    String lower = h.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).strip());
                    if (lower.startsWith("connection:") && lower.contains("close")) close = true;
                }
                in.skipNBytes(length);
                if (close) close();
                return code;
            } catch (IOException | RuntimeException e) {
                close();
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("connection closed");
                if (c != '\r') b.append((char) c);
            }
            return b.toString();
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
