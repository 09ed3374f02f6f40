package dev.stasis.capture.record;

import dev.stasis.capture.scap.FdEntry;
import dev.stasis.capture.scap.GroupEntry;
import dev.stasis.capture.scap.MachineInfo;
import dev.stasis.capture.scap.ProcessEntry;
import dev.stasis.capture.scap.ScapWriter;
import dev.stasis.capture.scap.UserEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recording in progress (see {@link SyscallRecorder}). {@link #stop()} detaches
 * (the processes keep running), finishes the file and returns the summary; it is
 * idempotent, and {@link #close()} is the same.
 */
public final class Recording implements AutoCloseable {
    /** The calls the recorder asks strace for: those the capture holds events for. */
    static final String TRACED = String.join(",", List.of("execve", "execveat", "clone", "clone3", "fork", "vfork",
            "open", "openat", "openat2", "creat", "close", "read", "write", "pread64", "pwrite64", "readv", "writev",
            "sendto", "recvfrom", "sendmsg", "recvmsg", "socket", "connect", "accept", "accept4", "bind", "listen",
            "dup", "dup2", "dup3", "pipe", "pipe2", "unlink", "unlinkat", "rename", "renameat", "renameat2", "chmod",
            "fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat", "setuid", "setgid", "setreuid", "setregid",
            "setresuid", "setresgid", "kill", "tkill", "tgkill", "ptrace", "mmap", "mprotect", "memfd_create", "chdir",
            "fchdir"));
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern ATTACHED = Pattern.compile("(?:\\S*/)?strace: Process (\\d+) attached.*");
    private static final Pattern ATTACH_FAILED = Pattern.compile("(?:\\S*/)?strace: attach: ptrace\\(PTRACE_\\w+, (\\d+)\\): (.*)");

    private final RecordRequest request;
    private final Path partial;
    private final ScapWriter writer;
    private final EventConverter converter;
    private final List<Session> sessions = new ArrayList<>();
    private final long started = System.nanoTime();
    private Process tcpdump;
    private volatile Throwable failure;
    private RecordingSummary summary;

    /** One strace process and the threads reading its output. */
    private final class Session {
        final Process process;
        final StraceParser parser = new StraceParser();
        final Set<Long> attached = ConcurrentHashMap.newKeySet();
        final Map<Long, String> failed = new ConcurrentHashMap<>();
        final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done = new CountDownLatch(2);

        Session(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon().name("strace-" + process.pid()).start(this::readTrace);
            Thread.ofPlatform().daemon().name("strace-err-" + process.pid()).start(this::readMessages);
        }

        /** strace's trace, parsed as it streams. */
        private void readTrace() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.ISO_8859_1), 1 << 16)) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (failure != null) {
                        continue; // drain, so that strace is never blocked on a full pipe
                    }
                    try {
                        synchronized (converter) {
                            StraceRecord rec = parser.parse(line);
                            if (rec != null) {
                                converter.accept(rec, parser);
                            }
                        }
                    } catch (java.io.UncheckedIOException e) {
                        fail(e.getCause());
                    } catch (RuntimeException e) {
                        // a line this parser does not know: skipped, the rest of the trace is still good
                    }
                }
            } catch (IOException e) {
                fail(e);
            } finally {
                done.countDown();
            }
        }

        /** strace's own messages: which processes it attached, and why not. */
        private void readMessages() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = ATTACHED.matcher(line);
                    if (m.matches()) {
                        attached.add(Long.parseLong(m.group(1)));
                        continue;
                    }
                    m = ATTACH_FAILED.matcher(line);
                    if (m.matches()) {
                        failed.put(Long.parseLong(m.group(1)), m.group(2));
                    }
                    messages.add(line);
                }
            } catch (IOException e) {
                // strace is gone; the trace reader sees the end too
            } finally {
                done.countDown();
            }
        }

        /** Waits until every pid is attached; the reason it could not, else null. */
        String awaitAttached(Set<Long> pids, Set<Long> roots) throws InterruptedException {
            long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (Map.Entry<Long, String> f : failed.entrySet()) {
                    if (roots.contains(f.getKey()) || !f.getValue().contains("No such process")) {
                        return "cannot trace process " + f.getKey() + ": " + f.getValue();
                    }
                }
                Set<Long> missing = new LinkedHashSet<>(pids);
                missing.removeAll(attached);
                missing.removeAll(failed.keySet());
                if (missing.isEmpty()) {
                    return null;
                }
                if (!process.isAlive() && done.getCount() == 0) {
                    String last = messages.isEmpty() ? "exited with status " + process.exitValue()
                            : messages.get(messages.size() - 1).replaceFirst("^(\\S*/)?strace: ", "");
                    return "strace could not attach: " + last;
                }
                Thread.sleep(10);
            }
            return "strace did not attach within " + ATTACH_TIMEOUT.toSeconds() + " s";
        }
    }

    private Recording(RecordRequest request, Path partial, ScapWriter writer, EventConverter converter) {
        this.request = request;
        this.partial = partial;
        this.writer = writer;
        this.converter = converter;
    }

    static Recording start(RecordRequest request, Path strace, Path tcpdump, Path nsenter) {
        Path out = request.output().toAbsolutePath().normalize();
        Path dir = out.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new RecordException("cannot write " + request.output() + ": no such directory " + dir);
        }
        if (Files.isDirectory(out)) {
            throw new RecordException("cannot write " + request.output() + ": it is a directory");
        }
        ProcScan scan = new ProcScan();
        long self = ProcessHandle.current().pid();
        Set<Long> tree = traceable(scan, request.pids(), self, true);
        Path partial;
        OutputStream os;
        try {
            // beside the output, renamed when complete; created as any new file (umask), unlike createTempFile's 0600
            partial = dir.resolve("." + out.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".partial");
            os = Files.newOutputStream(partial, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new RecordException("cannot write " + request.output() + ": " + reason(e));
        }
        Recording rec = null;
        try {
            Map<Long, ThreadState> threads = new HashMap<>();
            List<ProcessEntry> processes = new ArrayList<>();
            List<FdEntry> fds = new ArrayList<>();
            // the recorded trees and their ancestors (for proc.pname, proc.aname): reading every
            // process of a busy machine would delay the attach by seconds
            Set<Long> listed = new LinkedHashSet<>(tree);
            for (long root : request.pids()) {
                for (long p = scan.statusLong(root, "PPid"); p > 0 && listed.add(p); p = scan.statusLong(p, "PPid")) {
                    // up to init
                }
            }
            for (long pid : listed) {
                for (long tid : scan.threads(pid)) {
                    ThreadState t = scan.thread(pid, tid);
                    if (t != null) {
                        processes.add(scan.entry(t));
                        if (tree.contains(pid)) {
                            threads.put(tid, t);
                        }
                    }
                }
                if (tree.contains(pid)) {
                    fds.addAll(scan.fds(pid));
                }
            }
            ScapWriter writer = ScapWriter.create(os);
            writer.writeMetadata(machine(), null, users(), groups(), processes, fds);
            EventConverter conv = new EventConverter(writer::writeEvent, request.snaplen(), scan, threads);
            rec = new Recording(request, partial, writer, conv);
            rec.attach(strace, tree, new LinkedHashSet<>(request.pids()));
            // children forked between the /proc scan and the attach are not followed by -f: trace them too
            Set<Long> later = traceable(scan, request.pids(), self, false);
            later.removeAll(tree);
            later.removeIf(p -> scan.statusLong(p, "TracerPid") != 0);
            if (!later.isEmpty()) {
                rec.attach(strace, later, Set.of());
            }
            if (request.pcap().isPresent()) {
                rec.startPcap(tcpdump, nsenter, request.pids().get(0), request.pcap().get());
            }
            return rec;
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (rec != null) {
                rec.abort();
            }
            try {
                os.close();
            } catch (IOException ignored) {
                // the partial file goes anyway
            }
            deleteQuietly(partial);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RecordException re ? re
                    : new RecordException("cannot record: " + reason(e), e);
        }
    }

    /** The trees of {@code roots} without stasis itself; refuses processes another tracer holds. */
    private static Set<Long> traceable(ProcScan scan, List<Long> roots, long self, boolean check) {
        Set<Long> tree = scan.tree(roots);
        if (tree.contains(self)) {
            // a root is an ancestor of stasis: tracing the recorder would trace its own reading of the
            // trace, so its subtree stays out, but for processes of its own that were asked for
            Set<Long> mine = scan.tree(List.of(self));
            tree.removeAll(mine);
            tree.addAll(scan.tree(roots.stream().filter(r -> r != self && mine.contains(r)).toList()));
        }
        for (long root : check ? roots : List.<Long>of()) {
            if (root == self) {
                throw new RecordException("refusing to record stasis itself (pid " + root + ")");
            }
            long tracer = scan.statusLong(root, "TracerPid");
            if (tracer < 0) {
                throw new RecordException("no such process: " + root);
            }
            if (tracer > 0) {
                throw new RecordException("cannot trace process " + root + ": already traced by process " + tracer);
            }
        }
        return tree;
    }

    private void attach(Path strace, Set<Long> pids, Set<Long> roots) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(strace.toString(), "-f", "-ttt", "-yy", "-xx",
                "-s", Integer.toString(Math.max(request.snaplen(), 256)), "-e", "trace=" + TRACED,
                "-o", "/dev/stdout"));
        for (long p : pids) {
            cmd.add("-p");
            cmd.add(Long.toString(p));
        }
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Session s = new Session(p);
        synchronized (sessions) {
            sessions.add(s);
        }
        String why = s.awaitAttached(pids, roots);
        if (why != null) {
            throw new RecordException(why);
        }
    }

    private void startPcap(Path tcpdumpExe, Path nsenter, long pid, Path file) throws IOException, InterruptedException {
        Path f = file.toAbsolutePath();
        Process p = new ProcessBuilder(nsenter.toString(), "-t", Long.toString(pid), "-n", tcpdumpExe.toString(),
                "-i", "any", "-U", "-Z", "root", "-w", f.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).start();
        tcpdump = p;
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // "tcpdump: listening on any, ..." once it captures (after notes such as "data link type LINUX_SLL2")
        String last = null;
        for (String line; (line = r.readLine()) != null; last = line) {
            if (line.contains("listening on")) {
                last = null;
                break;
            }
        }
        if (last != null || !p.isAlive()) {
            p.waitFor(2, TimeUnit.SECONDS);
            throw new RecordException("tcpdump could not start: " + (last == null ? "no output" : last.replaceFirst("^tcpdump: ", "")));
        }
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (r.readLine() != null) {
                    // drain its messages
                }
            } catch (IOException ignored) {
                // tcpdump ended
            }
        });
    }

    /**
     * Waits until the recorded processes have all exited (strace then ends by itself)
     * or {@code timeout} passes; true if they exited.
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Session> all;
        synchronized (sessions) {
            all = List.copyOf(sessions);
        }
        for (Session s : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !s.done.await(left, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** The pid of the (first) strace process: the tracer /proc/PID/status names. */
    long tracerPid() {
        synchronized (sessions) {
            return sessions.get(0).process.pid();
        }
    }

    /** Events written so far (for progress). */
    public long events() {
        synchronized (converter) {
            return converter.events();
        }
    }

    /**
     * Detaches from every process (they keep running), waits for the rest of the
     * trace, and finishes the file. Idempotent.
     *
     * @throws RecordException if the file could not be written (it is removed then)
     */
    public synchronized RecordingSummary stop() {
        if (summary != null) {
            return summary;
        }
        List<Session> all;
        synchronized (sessions) {
            all = List.copyOf(sessions);
        }
        for (Session s : all) {
            // SIGTERM: strace detaches from every tracee and exits (not Process.destroy(): it closes the pipe with the rest of the trace)
            s.process.toHandle().destroy();
        }
        stopPcap();
        for (Session s : all) {
            try {
                if (!s.done.await(30, TimeUnit.SECONDS)) {
                    s.process.destroyForcibly(); // the kernel detaches the tracees of a dead tracer
                    s.done.await(5, TimeUnit.SECONDS);
                }
                s.process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        try {
            synchronized (converter) {
                if (failure == null) {
                    converter.finish();
                }
            }
            writer.close();
            if (failure != null) {
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            Files.move(partial, request.output(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(partial);
            throw new RecordException("cannot write " + request.output() + ": " + reason(e), e);
        }
        synchronized (converter) {
            summary = new RecordingSummary(converter.events(), converter.processes(), took, request.output(),
                    request.pcap());
        }
        return summary;
    }

    @Override
    public void close() {
        stop();
    }

    private void stopPcap() {
        if (tcpdump != null) {
            tcpdump.toHandle().destroy(); // SIGTERM: tcpdump flushes and closes its file
            try {
                if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                    tcpdump.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Start failed: end what was started. */
    private void abort() {
        failure = new IOException("aborted");
        synchronized (sessions) {
            for (Session s : sessions) {
                s.process.toHandle().destroy(); // not Process.destroy(): that closes the pipe with the rest of the trace
            }
        }
        stopPcap();
        synchronized (sessions) {
            for (Session s : sessions) {
                try {
                    if (!s.process.waitFor(10, TimeUnit.SECONDS)) {
                        s.process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            writer.close();
        } catch (IOException ignored) {
            // removed by the caller
        }
        request.pcap().ifPresent(Recording::deleteQuietly);
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        synchronized (sessions) {
            for (Session s : sessions) {
                s.process.toHandle().destroy(); // not Process.destroy(): that closes the pipe with the rest of the trace
            }
        }
    }

    private static String reason(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getMessage() == null) {
            c = c.getCause();
        }
        if (c instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (c instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (c instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private static MachineInfo machine() {
        String host = Optional.ofNullable(ProcScan.read(Path.of("/proc/sys/kernel/hostname"))).orElse("").strip();
        long mem = 0;
        String meminfo = ProcScan.read(Path.of("/proc/meminfo"));
        if (meminfo != null) {
            for (String line : meminfo.split("\n")) {
                if (line.startsWith("MemTotal:")) {
                    mem = StraceArgs.number(line.substring(9).strip(), 0) * 1024;
                }
            }
        }
        long maxPid = StraceArgs.number(Optional.ofNullable(ProcScan.read(Path.of("/proc/sys/kernel/pid_max"))).orElse("0").strip(), 0);
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), mem, maxPid, host, new long[4]);
    }

    private static List<UserEntry> users() {
        List<UserEntry> out = new ArrayList<>();
        String passwd = ProcScan.read(Path.of("/etc/passwd"));
        if (passwd != null) {
            for (String line : passwd.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length >= 7) {
                    out.add(new UserEntry((int) StraceArgs.number(f[2], 0), (int) StraceArgs.number(f[3], 0), f[0], f[5], f[6]));
                }
            }
        }
        return out;
    }

    private static List<GroupEntry> groups() {
        List<GroupEntry> out = new ArrayList<>();
        String group = ProcScan.read(Path.of("/etc/group"));
        if (group != null) {
            for (String line : group.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length >= 3) {
                    out.add(new GroupEntry((int) StraceArgs.number(f[2], 0), f[0]));
                }
            }
        }
        return out;
    }
}
