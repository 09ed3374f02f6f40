package dev.stasis.analysis.rules;

import dev.stasis.analysis.detect.Capabilities;
import dev.stasis.analysis.detect.FileTypes;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.MountPoint;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields rules can test, per kind of object (RULES.md lists them). Kept in
 * one place so the documentation and the validation agree with the data.
 */
final class Facts {
    static final Map<String, Set<String>> FIELDS = Map.of(
            "process", Set.of("pid", "ppid", "comm", "program", "exe", "exe_deleted", "exe_memfd", "exe_sha256", "cmdline", "argv",
                    "cwd", "uid", "euid", "gid", "state", "threads", "env", "capabilities", "parent_comm", "fds"),
            "socket", Set.of("family", "protocol", "state", "local_address", "local_port", "remote_address", "remote_port",
                    "unix_path", "pids", "processes", "in_queue", "out_queue"),
            "file", Set.of("path", "type", "size", "mode", "sha256", "content", "magic", "executable", "origin", "link_target"),
            "deleted", Set.of("path"),
            "env", Set.of("name", "value", "pid", "source"),
            "mount", Set.of("destination", "source", "type", "options", "read_only"),
            "spec", Set.of("privileged", "capabilities", "args", "env", "host_namespaces", "annotations"));

    private Facts() {}

    static Map<String, Object> process(Subject s, Proc p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", p.pid());
        m.put("ppid", p.ppid());
        m.put("comm", p.comm());
        m.put("program", p.program());
        m.put("exe", p.exe());
        m.put("exe_deleted", p.exeDeleted());
        m.put("exe_memfd", p.exeMemfd());
        m.put("exe_sha256", p.exeSha256());
        m.put("cmdline", p.commandLine());
        m.put("argv", p.cmdline());
        m.put("cwd", p.cwd());
        m.put("uid", p.uid());
        m.put("euid", p.euid());
        m.put("gid", p.gid());
        m.put("state", p.state());
        m.put("threads", p.threads());
        m.put("env", p.environ());
        m.put("capabilities", p.capEff() == null ? null : Capabilities.names(p.capEff()));
        m.put("parent_comm", s.process(p.ppid()).map(Proc::comm).orElse(null));
        m.put("fds", p.fds().stream().map(f -> f.fd() + ":" + f.target()).toList());
        return m;
    }

    static Map<String, Object> socket(Subject s, Sock k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", k.family());
        m.put("protocol", k.protocol());
        m.put("state", k.state());
        m.put("local_address", k.localAddress());
        m.put("local_port", k.localPort());
        m.put("remote_address", k.isConnected() ? k.remoteAddress() : null);
        m.put("remote_port", k.isConnected() ? k.remotePort() : null);
        m.put("unix_path", k.unixPath());
        m.put("pids", k.pids());
        m.put("processes", k.pids().stream().flatMap(pid -> s.process(pid).stream()).map(Proc::comm).toList());
        m.put("in_queue", new String(k.inQueue(), StandardCharsets.ISO_8859_1));
        m.put("out_queue", new String(k.outQueue(), StandardCharsets.ISO_8859_1));
        return m;
    }

    static Map<String, Object> file(DiffFile f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.path());
        m.put("type", f.type());
        m.put("size", f.size());
        m.put("mode", f.modeString());
        m.put("sha256", f.sha256());
        m.put("content", f.isRegular() ? new String(f.head(), StandardCharsets.ISO_8859_1) : null);
        m.put("magic", f.isRegular() ? FileTypes.describe(f.head()) : null);
        m.put("executable", f.executable());
        m.put("origin", f.origin());
        m.put("link_target", f.linkTarget());
        return m;
    }

    static Map<String, Object> deleted(String path) {
        return Map.of("path", path);
    }

    /** Every environment entry, from the spec and from each process, one map each. */
    static List<Map<String, Object>> env(Subject s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String e : s.spec().env()) out.add(envEntry(e, null, "spec"));
        for (Proc p : s.processes()) for (String e : p.environ()) out.add(envEntry(e, p.pid(), p.comm()));
        return out;
    }

    private static Map<String, Object> envEntry(String e, Integer pid, String source) {
        Map<String, Object> m = new LinkedHashMap<>();
        int eq = e.indexOf('=');
        m.put("name", eq > 0 ? e.substring(0, eq) : e);
        m.put("value", eq > 0 ? e.substring(eq + 1) : null);
        m.put("pid", pid);
        m.put("source", source);
        return m;
    }

    static Map<String, Object> mount(MountPoint mp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", mp.destination());
        m.put("source", mp.source());
        m.put("type", mp.type());
        m.put("options", mp.options());
        m.put("read_only", mp.readOnly());
        return m;
    }

    static Map<String, Object> spec(Subject s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("privileged", s.spec().privileged());
        m.put("capabilities", s.spec().capabilities().stream().map(Capabilities::normalise).toList());
        m.put("args", s.spec().args());
        m.put("env", s.spec().env());
        m.put("host_namespaces", s.spec().hostNamespaces());
        m.put("annotations", s.spec().annotations().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        return m;
    }
}
