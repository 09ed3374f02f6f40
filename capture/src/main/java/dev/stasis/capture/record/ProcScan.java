package dev.stasis.capture.record;

import dev.stasis.capture.scap.FdEntry;
import dev.stasis.capture.scap.FdKind;
import dev.stasis.capture.scap.ProcessEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads processes, threads and open files from /proc, as libscap does when a live
 * capture starts: the process list and fd list blocks of the recording, and the
 * state the recorder starts from. Processes that vanish while being read are skipped.
 */
final class ProcScan {
    private final Path proc;

    ProcScan(Path proc) {
        this.proc = proc;
    }

    ProcScan() {
        this(Path.of("/proc"));
    }

    /** Every process id on the machine. */
    List<Long> pids() {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path p : ds) {
                long pid = number(p.getFileName().toString());
                if (pid > 0) {
                    out.add(pid);
                }
            }
        } catch (IOException e) {
            throw new RecordException("cannot read " + proc + ": " + e.getMessage());
        }
        return out;
    }

    /** The thread ids of a process (empty if it is gone). */
    List<Long> threads(long pid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc.resolve(pid + "/task"))) {
            for (Path p : ds) {
                long tid = number(p.getFileName().toString());
                if (tid > 0) {
                    out.add(tid);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /** The given processes and all their descendants, parents before children. */
    Set<Long> tree(List<Long> roots) {
        Map<Long, List<Long>> children = new HashMap<>();
        for (long pid : pids()) {
            long ppid = statusLong(pid, "PPid");
            if (ppid >= 0) {
                children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(pid);
            }
        }
        Set<Long> out = new LinkedHashSet<>();
        Deque<Long> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            long p = todo.poll();
            if (out.add(p)) {
                todo.addAll(children.getOrDefault(p, List.of()));
            }
        }
        return out;
    }

    /** The state of one thread, or null if it is gone. */
    ThreadState thread(long pid, long tid) {
        Path dir = proc.resolve(pid + "/task/" + tid);
        String status = read(dir.resolve("status"));
        if (status == null) {
            return null;
        }
        ThreadState t = new ThreadState();
        t.tid = tid;
        t.pid = pid;
        t.ptid = field(status, "PPid", 0);
        String comm = text(dir.resolve("comm"));
        t.comm = comm == null ? "" : comm.strip();
        byte[] cmd = bytes(proc.resolve(pid + "/cmdline"));
        if (cmd != null && cmd.length > 0) {
            int nul = indexOf(cmd, (byte) 0);
            t.exe = new String(cmd, 0, nul < 0 ? cmd.length : nul, StandardCharsets.UTF_8);
            t.args = nul < 0 ? new byte[0] : java.util.Arrays.copyOfRange(cmd, nul + 1, cmd.length);
        } else {
            t.exe = t.comm; // kernel threads and zombies have no command line
        }
        t.exepath = link(proc.resolve(pid + "/exe"), "");
        t.cwd = link(dir.resolve("cwd"), "/");
        t.root = link(dir.resolve("root"), "/");
        String[] ids = fieldText(status, "Uid").split("\\s+");
        t.uid = ids.length > 1 ? (int) number(ids[1]) : 0; // effective, as libscap
        String[] gids = fieldText(status, "Gid").split("\\s+");
        t.gid = gids.length > 1 ? (int) number(gids[1]) : 0;
        t.vtid = last(fieldText(status, "NSpid"), tid);
        t.vpid = last(fieldText(status, "NStgid"), pid);
        String stat = read(dir.resolve("stat"));
        if (stat != null) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            t.vpgid = number(f[2]);
            t.sid = number(f[3]);
        }
        byte[] env = bytes(proc.resolve(pid + "/environ"));
        t.env = env == null ? new byte[0] : env;
        t.cgroups = cgroups(read(proc.resolve(pid + "/cgroup")));
        String login = text(proc.resolve(pid + "/loginuid"));
        t.loginuid = login == null ? -1 : (int) Long.parseLong(login.strip());
        t.fdlimit = fdlimit(read(proc.resolve(pid + "/limits")));
        return t;
    }

    /** The process list entry for a thread: its state plus memory and fault counters. */
    ProcessEntry entry(ThreadState t) {
        Path dir = proc.resolve(t.pid + "/task/" + t.tid);
        String status = read(dir.resolve("status"));
        String stat = read(dir.resolve("stat"));
        long maj = 0, min = 0;
        if (stat != null) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            min = number(f[7]);
            maj = number(f[9]);
        }
        return t.entry(status == null ? 0 : kb(status, "VmSize"), status == null ? 0 : kb(status, "VmRSS"),
                status == null ? 0 : kb(status, "VmSwap"), maj, min);
    }

    /** The open files of a process (its threads share them): what libscap puts in the fd list. */
    List<FdEntry> fds(long pid) {
        List<FdEntry> out = new ArrayList<>();
        Map<Long, FdEntry> sockets = null;
        Path dir = proc.resolve(pid + "/fd");
        List<Long> nums = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long n = number(p.getFileName().toString());
                if (n >= 0) {
                    nums.add(n);
                }
            }
        } catch (IOException e) {
            return out;
        }
        nums.sort(null);
        for (long fd : nums) {
            Path link = dir.resolve(Long.toString(fd));
            String target = link(link, null);
            if (target == null) {
                continue;
            }
            target = ThreadState.cut(target);
            long ino = 0;
            int dev = 0;
            try {
                ino = ((Number) Files.getAttribute(link, "unix:ino")).longValue();
                dev = ((Number) Files.getAttribute(link, "unix:dev")).intValue();
            } catch (IOException | RuntimeException e) {
                // gone or not a file system object: keep the name
            }
            if (target.startsWith("socket:[")) {
                if (sockets == null) {
                    sockets = sockets(pid);
                }
                long sino = number(target.substring(8, target.length() - 1));
                FdEntry s = sockets.get(sino);
                out.add(s != null ? withFd(s, pid, fd)
                        : new FdEntry(pid, fd, sino, FdKind.UNSUPPORTED, null, null, 0, 0, 0, 0, 0, target, 0, 0));
            } else if (target.startsWith("pipe:[")) {
                out.add(new FdEntry(pid, fd, ino, FdKind.FIFO, null, null, 0, 0, 0, 0, 0, "", 0, 0));
            } else if (target.startsWith("anon_inode:")) {
                FdKind k = switch (target) {
                    case "anon_inode:[eventpoll]" -> FdKind.EVENTPOLL;
                    case "anon_inode:[eventfd]" -> FdKind.EVENT;
                    case "anon_inode:[signalfd]" -> FdKind.SIGNALFD;
                    case "anon_inode:inotify" -> FdKind.INOTIFY;
                    case "anon_inode:[timerfd]" -> FdKind.TIMERFD;
                    case "anon_inode:[pidfd]" -> FdKind.PIDFD;
                    default -> FdKind.UNSUPPORTED;
                };
                out.add(new FdEntry(pid, fd, ino, k, null, null, 0, 0, 0, 0, 0, target, 0, 0));
            } else if (target.startsWith("/memfd:")) {
                out.add(new FdEntry(pid, fd, ino, FdKind.MEMFD, null, null, 0, 0, 0, 0, 0, target, 0, dev));
            } else if (target.startsWith("/")) {
                boolean isDir = Files.isDirectory(link);
                out.add(new FdEntry(pid, fd, ino, isDir ? FdKind.DIRECTORY : FdKind.FILE_V2, null, null, 0, 0, 0, 0, 0,
                        target, isDir ? 0 : openFlags(pid, fd), dev));
            } else {
                out.add(new FdEntry(pid, fd, ino, FdKind.UNSUPPORTED, null, null, 0, 0, 0, 0, 0, target, 0, 0));
            }
        }
        return out;
    }

    private static FdEntry withFd(FdEntry s, long pid, long fd) {
        return new FdEntry(pid, fd, s.ino(), s.kind(), s.sip(), s.dip(), s.sport(), s.dport(), s.l4proto(),
                s.unixSource(), s.unixDest(), s.name(), s.openFlags(), s.dev());
    }

    /** Open flags from fdinfo in the driver's encoding (PPM_O_*). */
    private int openFlags(long pid, long fd) {
        String info = read(proc.resolve(pid + "/fdinfo/" + fd));
        if (info == null) {
            return 0;
        }
        long f = 0;
        for (String line : info.split("\n")) {
            if (line.startsWith("flags:")) {
                f = Long.parseLong(line.substring(6).strip(), 8);
            }
        }
        return Flags.openFlags(f);
    }

    /**
     * The sockets of a process' network namespace by inode, from /proc/PID/net:
     * TCP and UDP (listening ones as server sockets) and unix sockets.
     */
    Map<Long, FdEntry> sockets(long pid) {
        Map<Long, FdEntry> out = new HashMap<>();
        for (String f : new String[] {"tcp", "udp", "tcp6", "udp6"}) {
            String t = read(proc.resolve(pid + "/net/" + f));
            if (t == null) {
                continue;
            }
            boolean v6 = f.endsWith("6");
            int proto = f.startsWith("tcp") ? 2 : 3; // SCAP_L4_TCP, SCAP_L4_UDP (1 is SCAP_L4_NA)
            String[] lines = t.split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] c = lines[i].strip().split("\\s+");
                if (c.length < 10) {
                    continue;
                }
                String[] l = c[1].split(":");
                String[] r = c[2].split(":");
                long ino = number(c[9]);
                byte[] lip = hexIp(l[0]);
                byte[] rip = hexIp(r[0]);
                int lport = Integer.parseInt(l[1], 16);
                int rport = Integer.parseInt(r[1], 16);
                boolean listening = proto == 2 ? c[3].equals("0A") : rport == 0;
                FdKind k = listening ? (v6 ? FdKind.IPV6_SERVSOCK : FdKind.IPV4_SERVSOCK) : (v6 ? FdKind.IPV6_SOCK : FdKind.IPV4_SOCK);
                out.put(ino, new FdEntry(pid, -1, ino, k, lip, rip, lport, rport, proto, 0, 0, "", 0, 0));
            }
        }
        String unix = read(proc.resolve(pid + "/net/unix"));
        if (unix != null) {
            String[] lines = unix.split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] c = lines[i].strip().split("\\s+", 8);
                if (c.length < 7) {
                    continue;
                }
                long ino = number(c[6]);
                out.put(ino, new FdEntry(pid, -1, ino, FdKind.UNIX_SOCK, null, null, 0, 0, 0, 0, 0,
                        c.length > 7 ? c[7] : "", 0, 0));
            }
        }
        return out;
    }

    /** The local end of an IP socket by inode (address, port), or null: how a connect's source is found. */
    FdEntry socket(long pid, long inode) {
        return inode < 0 ? null : sockets(pid).get(inode);
    }

    /** /proc/net prints addresses as host-order 32-bit words in hex. */
    private static byte[] hexIp(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int w = 0; w < h.length() / 8; w++) {
            long v = Long.parseLong(h.substring(w * 8, w * 8 + 8), 16);
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) (v >>> (8 * i));
            }
        }
        return b;
    }

    /** Cgroups as libscap lists them: "subsystems=path", NUL-terminated (v2's single hierarchy under each name). */
    private static byte[] cgroups(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (text == null) {
            return new byte[0];
        }
        for (String line : text.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            List<String> names = new ArrayList<>();
            if (f[1].isEmpty()) {
                // cgroup v2: libscap names the unified hierarchy after the controllers it serves
                names.addAll(List.of("cpuset", "cpu", "cpuacct", "io", "memory", "pids"));
            } else {
                names.add(f[1]);
            }
            for (String n : names) {
                byte[] e = (n + "=" + f[2]).getBytes(StandardCharsets.UTF_8);
                out.write(e, 0, e.length);
                out.write(0);
            }
        }
        return out.toByteArray();
    }

    private static long fdlimit(String limits) {
        if (limits == null) {
            return 1024;
        }
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).strip().split("\\s+");
                return f[0].equals("unlimited") ? -1 : number(f[0]);
            }
        }
        return 1024;
    }

    long statusLong(long pid, String key) {
        String s = read(proc.resolve(pid + "/status"));
        return s == null ? -1 : field(s, key, -1);
    }

    private static long field(String status, String key, long dflt) {
        String v = fieldText(status, key);
        return v.isEmpty() ? dflt : number(v.split("\\s+")[0]);
    }

    private static String fieldText(String status, String key) {
        int at = status.startsWith(key + ":") ? 0 : status.indexOf("\n" + key + ":");
        if (at < 0) {
            return "";
        }
        int s = status.indexOf(':', at) + 1;
        int e = status.indexOf('\n', s);
        return status.substring(s, e < 0 ? status.length() : e).strip();
    }

    private static long kb(String status, String key) {
        return field(status, key, 0);
    }

    private static long last(String list, long dflt) {
        if (list.isEmpty()) {
            return dflt;
        }
        String[] f = list.split("\\s+");
        return number(f[f.length - 1]);
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            return null;
        }
    }

    static String link(Path p, String dflt) {
        try {
            String t = Files.readSymbolicLink(p).toString();
            return t.endsWith(" (deleted)") ? t.substring(0, t.length() - " (deleted)".length()) : t;
        } catch (IOException | RuntimeException e) {
            return dflt;
        }
    }
}
