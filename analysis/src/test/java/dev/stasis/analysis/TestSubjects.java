package dev.stasis.analysis;

import dev.stasis.analysis.report.Identity;
import dev.stasis.analysis.report.SourceInfo;
import dev.stasis.analysis.subject.ContainerSpec;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.MemoryHit;
import dev.stasis.analysis.subject.MemoryView;
import dev.stasis.analysis.subject.MountPoint;
import dev.stasis.analysis.subject.OpenFd;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hand-built subjects for unit tests of rules and renderers. The facts are
 * written out here, in the test, so a test's expectation never comes from the
 * loader under test.
 */
public final class TestSubjects {
    private TestSubjects() {}

    /** Memory given as text per pid, searched with the real regex semantics. */
    public static MemoryView memory(Map<Integer, String> text) {
        return new MemoryView() {
            @Override
            public List<MemoryHit> search(int pid, Pattern pattern, int limit) {
                List<MemoryHit> out = new ArrayList<>();
                String t = text.get(pid);
                if (t == null) return out;
                Matcher m = pattern.matcher(t);
                while (m.find() && out.size() < limit) out.add(new MemoryHit(pid, 0x400000L + m.start(), m.group()));
                return out;
            }

            @Override
            public long residentBytes(int pid) {
                return text.getOrDefault(pid, "").length();
            }

            @Override
            public List<Segment> dump(int pid, OutputStream out) throws java.io.IOException {
                String t = text.get(pid);
                if (t == null) return List.of();
                out.write(t.getBytes(StandardCharsets.ISO_8859_1));
                return List.of(new Segment(0, 0x400000L, t.length()));
            }
        };
    }

    /** A small IRC-bot-like container: init, a shell, a bracket-named perl bot with a socket to 10.88.0.1:6667. */
    public static Subject ircBot() {
        Sock irc = new Sock(25, "inet", "tcp", "established", "10.88.0.25", 56778, "10.88.0.1", 6667, null, null, null, List.of(17));
        Sock listen = new Sock(15, "inet", "tcp", "listen", "0.0.0.0", 8888, null, 0, null, null, null, List.of(7));
        Proc init = new Proc(1, 0, "tini", List.of("/usr/local/bin/tini"), "/usr/bin/perl", false, false, null, null, "/", 0, 0, 0,
                0x800405FBL, 0, "alive", 1, List.of("PATH=/usr/bin"), List.of());
        Proc lab = new Proc(7, 1, "jupyter-lab", List.of("jupyter-lab", "--port=8888"), "/usr/bin/perl", false, false, null, null, "/", 0, 0, 0,
                0x800405FBL, 0, "alive", 1, List.of("JUPYTER_TOKEN=3f1c0e2b9a7d4c55"), List.of(new OpenFd(3, "socket", listen.describe(), 15L, false)));
        Proc bot = new Proc(17, 7, "[systemd]", List.of("[systemd]"), "/usr/bin/perl", false, false, null, null, "/tmp", 0, 0, 0,
                0x800405FBL, 0, "alive", 1, List.of("C2_HOST=10.88.0.1"), List.of(new OpenFd(3, "socket", irc.describe(), 25L, false)));
        byte[] script = "#!/usr/bin/perl\n$0 = \"[systemd]\";\nprint $s \"NICK $nick\\r\\n\";\n".getBytes(StandardCharsets.UTF_8);
        DiffFile dropped = new DiffFile("/tmp/perlbot.pl", "file", script.length, 0755, Instant.parse("2026-11-29T04:36:00Z"),
                "ab".repeat(32), script, null, "rootfs-diff");
        ContainerSpec spec = new ContainerSpec(List.of("/usr/local/bin/tini"), List.of("JUPYTER_TOKEN=3f1c0e2b9a7d4c55", "HOME=/root"), false,
                List.of("CAP_CHOWN", "CAP_KILL"), List.of(new MountPoint("/var/run/secrets/kubernetes.io/serviceaccount", "bind", "/tmp/lab-sa", List.of("ro", "rbind"))),
                List.of(), Map.of(), false, false, 0);
        Identity id = new Identity("notebook", "d096c371", "notebook-7f9c4b-x2kq", "data-science", "localhost/notebook:2.0", null, "Podman",
                "runc", null, "notebook-7f9c4b-x2kq", List.of("10.88.0.25"), Instant.parse("2026-11-29T04:45:05Z"), Instant.parse("2026-11-29T04:46:00Z"));
        String mem = "\0NICK kube-7f3a\r\n\0JOIN #c2\r\n\0:op!op@x PRIVMSG #c2 :!exec id\r\n\0PRIVMSG #c2 :uid=0(root) gid=0(root) groups=0(root)\r\n"
                + "\0print $s \"PRIVMSG $chan :$o\\r\\n\"\0";
        return new Subject(new SourceInfo("irc-bot.tar.zst", 1228132, "00".repeat(32), "zstd"), id, spec, List.of(init, lab, bot),
                List.of(irc, listen), List.of(dropped), List.of("/var/log/dpkg.log"), List.of(), List.of(),
                memory(Map.of(17, mem)), List.of());
    }
}
