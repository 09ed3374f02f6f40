package dev.stasis.cli.checkpoint.inspect;

import dev.stasis.analysis.detect.SecretEnv;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.CriuStatistics;
import dev.stasis.checkpoint.model.Credentials;
import dev.stasis.checkpoint.model.Mount;
import dev.stasis.checkpoint.model.Namespaces;
import dev.stasis.checkpoint.model.NetworkInterface;
import dev.stasis.checkpoint.model.OpenFile;
import dev.stasis.checkpoint.model.ProcessInfo;
import dev.stasis.checkpoint.model.ProcessTree;
import dev.stasis.checkpoint.model.RootfsDiffEntry;
import dev.stasis.checkpoint.model.TaskState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One checkpoint as the JSON object {@code stasis inspect --format json} prints: checkpointctl's
 * DisplayNode keys, spelled and shaped as checkpointctl does (so its scripts keep working), plus
 * stasis's own keys, which checkpointctl never uses.
 */
public final class InspectJson {
    private static final int LOG_LIMIT = 64 * 1024;

    private InspectJson() {}

    public static Map<String, Object> build(Checkpoint cp, InspectOptions o) {
        Container c = cp.container();
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("container_name", c.name() == null ? "" : c.name());
        node.put("image", c.imageName() == null ? "" : c.imageName());
        node.put("id", c.id() == null ? "" : c.id());
        node.put("runtime", c.runtime() == null ? "" : c.runtime());
        node.put("created", c.created() == null ? "" : Formats.rfc3339(c.created()));
        putIf(node, "checkpointed", Formats.rfc3339(c.checkpointed()));
        node.put("engine", c.engine().display());
        List<String> ips = new ArrayList<>(), macs = new ArrayList<>();
        for (NetworkInterface n : c.networks()) {
            if (n.ip() != null) ips.add(n.ip());
            if (n.mac() != null) macs.add(n.mac());
        }
        if (!ips.isEmpty()) node.put("ip", String.join(", ", ips));
        if (!macs.isEmpty()) node.put("mac", String.join(", ", macs));
        List<Map<String, Object>> networks = networks(c);
        if (!networks.isEmpty()) node.put("networks", networks);
        Map<String, Object> size = new LinkedHashMap<>();
        putNonZero(size, "total_size", c.sizes().total());
        putNonZero(size, "memory_pages_size", c.sizes().memoryPages());
        putNonZero(size, "amd_gpu_memory_pages_size", c.sizes().amdGpuMemoryPages());
        putNonZero(size, "root_fs_diff_size", c.sizes().rootfsDiff());
        putNonZero(size, "archive_file_size", c.sizes().archiveFile());
        node.put("checkpoint_size", size);
        if (o.stats() && c.statistics() != null) node.put("statistics", statistics(c.statistics()));
        if (o.metadata()) {
            Map<String, Object> md = new LinkedHashMap<>();
            putIf(md, "pod_name", c.podName());
            putIf(md, "kubernetes_namespace", c.namespace());
            if (!c.annotations().isEmpty()) md.put("annotations", c.annotations());
            putIf(md, "container_name", c.containerName());
            putIf(md, "hostname", c.hostname());
            putIf(md, "image_ref", c.imageRef());
            node.put("metadata", md);
        }
        if (o.needsProcesses()) {
            ProcessTree tree = cp.processes(o.needsMemory());
            List<ProcessTree.Node> roots = tree.roots();
            ProcessTree.Node root = null;
            if (o.pid() != null) {
                root = findNode(tree, o.pid());
                if (root == null) throw new CheckpointException("no process with PID " + o.pid() + " (use `inspect --ps-tree` to view all PIDs)");
            } else if (!roots.isEmpty()) {
                root = roots.getFirst();
            }
            if ((o.psTree() || o.psTreeCmd() || o.psTreeEnv() || o.pid() != null) && root != null) {
                node.put("process_tree", psNode(root, o));
            }
            if (o.files()) node.put("file_descriptors", fileDescriptors(tree));
            if (o.sockets()) node.put("sockets", sockets(tree));
        }
        if (o.mounts()) node.put("mounts", mounts(cp.mounts()));
        if (o.extras()) extras(cp, node);
        return node;
    }

    /** An environment value as inspect prints it: masked by analyze's rule unless --show-secrets. */
    private static String shown(String name, String value, InspectOptions o) {
        return o.showSecrets() ? value : SecretEnv.shown(name, value);
    }

    private static ProcessTree.Node findNode(ProcessTree tree, int pid) {
        ProcessTree.Node[] found = {null};
        tree.walk(n -> {
            if (found[0] == null && n.process().pid() == pid) found[0] = n;
        });
        return found[0];
    }

    private static List<Map<String, Object>> networks(Container c) {
        Map<String, Map<String, Object>> byNetwork = new LinkedHashMap<>();
        for (NetworkInterface n : c.networks()) {
            if (n.network() == null) continue;
            Map<String, Object> net = byNetwork.computeIfAbsent(n.network(), k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", k);
                m.put("interfaces", new TreeMap<String, Object>());
                return m;
            });
            Map<String, Object> iface = new LinkedHashMap<>();
            if (!n.addresses().isEmpty()) iface.put("ip", n.addresses().getLast());
            putIf(iface, "mac", n.mac());
            putIf(iface, "gateway", n.gateway());
            @SuppressWarnings("unchecked")
            Map<String, Object> ifaces = (Map<String, Object>) net.get("interfaces");
            ifaces.put(n.name() == null ? "" : n.name(), iface);
        }
        return new ArrayList<>(byNetwork.values());
    }

    private static Map<String, Object> statistics(CriuStatistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        putNonZero(m, "freezing_time", s.freezingTime());
        putNonZero(m, "frozen_time", s.frozenTime());
        putNonZero(m, "memdump_time", s.memdumpTime());
        putNonZero(m, "memwrite_time", s.memwriteTime());
        putNonZero(m, "pages_scanned", s.pagesScanned());
        putNonZero(m, "pages_written", s.pagesWritten());
        m.put("pages_skipped_parent", s.pagesSkippedParent());
        m.put("pages_lazy", s.pagesLazy());
        m.put("page_pipes", s.pagePipes());
        m.put("page_pipe_bufs", s.pagePipeBufs());
        m.put("shpages_scanned", s.shpagesScanned());
        m.put("shpages_written", s.shpagesWritten());
        return m;
    }

    private static Map<String, Object> psNode(ProcessTree.Node n, InspectOptions o) {
        ProcessInfo p = n.process();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", p.pid());
        m.put("command", p.comm());
        boolean live = p.state() == TaskState.ALIVE || p.state() == TaskState.STOPPED;
        if (o.psTreeCmd() && live && !p.cmdline().entries().isEmpty()) m.put("cmdline", p.cmdline().joined());
        m.put("task_state", p.state().display());
        if (o.psTreeEnv() && live) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String e : p.environment().entries()) {
                int eq = e.indexOf('=');
                if (eq > 0) env.put(e.substring(0, eq), shown(e.substring(0, eq), e.substring(eq + 1), o));
            }
            if (!env.isEmpty()) m.put("environment_variables", env);
        }
        if (o.extras()) processExtras(p, m, o);
        List<Map<String, Object>> children = new ArrayList<>();
        for (ProcessTree.Node c : n.children()) children.add(psNode(c, o));
        if (!children.isEmpty()) m.put("children", children);
        return m;
    }

    /** stasis-only keys of a process: everything an analyst needs that checkpointctl leaves out. */
    private static void processExtras(ProcessInfo p, Map<String, Object> m, InspectOptions o) {
        m.put("ppid", p.ppid());
        m.put("pgid", p.pgid());
        m.put("sid", p.sid());
        m.put("threads", p.threads());
        if (p.state().isZombie()) m.put("zombie", true);
        if (p.exitCode() != null) m.put("exit_code", p.exitCode());
        putIf(m, "exe", p.exe());
        if (p.exeDeleted()) m.put("exe_deleted", true);
        if (p.exeMemfd()) m.put("exe_memfd", true);
        putIf(m, "cwd", p.cwd());
        putIf(m, "root", p.root());
        if (o.psTreeCmd()) {
            m.put("argv", p.cmdline().entries());
            putIf(m, "argv_note", p.cmdline().note());
        }
        if (o.psTreeEnv()) {
            m.put("environment", o.showSecrets() ? p.environment().entries()
                    : p.environment().entries().stream().map(SecretEnv::shownEntry).toList());
            putIf(m, "environment_note", p.environment().note());
        }
        if (p.credentials() != null) m.put("credentials", credentials(p.credentials()));
        if (p.namespaces() != null) m.put("namespaces", namespaces(p.namespaces()));
    }

    private static Map<String, Object> credentials(Credentials c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uids", c.uids());
        m.put("gids", c.gids());
        m.put("groups", c.groups());
        m.put("cap_effective", c.capEffective());
        m.put("cap_permitted", c.capPermitted());
        m.put("cap_inheritable", c.capInheritable());
        m.put("cap_bounding", c.capBounding());
        m.put("cap_ambient", c.capAmbient());
        m.put("seccomp", c.seccompName());
        m.put("no_new_privs", c.noNewPrivs());
        putIf(m, "lsm_profile", c.lsmProfile());
        return m;
    }

    private static Map<String, Object> namespaces(Namespaces n) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "pid", n.pidNs());
        putIf(m, "net", n.netNs());
        putIf(m, "mnt", n.mntNs());
        putIf(m, "ipc", n.ipcNs());
        putIf(m, "uts", n.utsNs());
        putIf(m, "user", n.userNs());
        putIf(m, "cgroup", n.cgroupNs());
        putIf(m, "time", n.timeNs());
        putIf(m, "hostname", n.hostname());
        putIf(m, "domainname", n.domainname());
        return m;
    }

    /** checkpointctl's file_descriptors: per live process, fds as "TYPE N" then cwd and root. */
    private static List<Map<String, Object>> fileDescriptors(ProcessTree tree) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProcessInfo p : byPstreeOrder(tree)) {
            if (p.state() != TaskState.ALIVE && p.state() != TaskState.STOPPED) continue;
            List<Map<String, Object>> files = new ArrayList<>();
            for (OpenFile f : p.files()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", f.type());
                m.put("fd", (f.type() + " " + f.fd()).strip());
                m.put("path", ctlPath(f));
                putIf(m, "description", f.describe());
                if (f instanceof OpenFile.Regular r && r.deleted()) m.put("deleted", true);
                files.add(m);
            }
            if (p.cwd() != null) files.add(special("cwd", p.cwd()));
            if (p.root() != null) files.add(special("root", p.root()));
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("pid", p.pid());
            if (!files.isEmpty()) node.put("open_files", files);
            out.add(node);
        }
        return out;
    }

    private static Map<String, Object> special(String fd, String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "");
        m.put("fd", fd);
        m.put("path", path);
        return m;
    }

    /** The path checkpointctl prints for a descriptor. */
    static String ctlPath(OpenFile f) {
        return switch (f) {
            case OpenFile.Regular r -> r.path();
            case OpenFile.Pipe p when p.fifoPath() == null -> "pipe[" + p.pipeId() + "]";
            case OpenFile.UnixSocket u -> "unix[" + u.inode() + " (" + u.peerInode() + ") " + u.name() + "]";
            case OpenFile.Memfd m -> "/memfd:" + m.name() + " (deleted)";
            default -> f.type() + "." + f.fileId();
        };
    }

    private static List<Map<String, Object>> sockets(ProcessTree tree) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProcessInfo p : byPstreeOrder(tree)) {
            if (p.state() != TaskState.ALIVE && p.state() != TaskState.STOPPED) continue;
            List<Map<String, Object>> socks = new ArrayList<>();
            for (OpenFile f : p.files()) {
                Map<String, Object> data = new LinkedHashMap<>();
                String protocol = null;
                switch (f) {
                    case OpenFile.InetSocket s -> {
                        protocol = s.protocol();
                        data.put("type", s.protocol());
                        data.put("state", s.state());
                        data.put("src", s.src());
                        putNonZero(data, "src_port", s.srcPort());
                        data.put("dst", s.dst());
                        putNonZero(data, "dst_port", s.dstPort());
                        data.put("send_buf", Formats.bytes(s.sendBuf()));
                        data.put("recv_buf", Formats.bytes(s.recvBuf()));
                        data.put("fd", s.fd());
                        data.put("family", s.family());
                        data.put("inode", s.inode());
                        data.put("in_queue", s.inQueue());
                        data.put("out_queue", s.outQueue());
                        putIf(data, "in_queue_preview", s.inPreview());
                        putIf(data, "out_queue_preview", s.outPreview());
                    }
                    case OpenFile.UnixSocket u -> {
                        data.put("type", "UNIX");
                        if (!u.name().isEmpty()) data.put("address", u.name());
                        data.put("fd", u.fd());
                        data.put("socket_type", u.sockType());
                        data.put("state", u.state());
                        data.put("inode", u.inode());
                        data.put("peer_inode", u.peerInode());
                    }
                    case OpenFile.PacketSocket k -> data.put("fd", k.fd());
                    case OpenFile.NetlinkSocket k -> data.put("fd", k.fd());
                    default -> data = null;
                }
                if (data == null) continue;
                Map<String, Object> s = new LinkedHashMap<>();
                putIf(s, "protocol", protocol);
                s.put("data", data);
                socks.add(s);
            }
            if (socks.isEmpty()) continue;
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("pid", p.pid());
            node.put("open_sockets", socks);
            out.add(node);
        }
        return out;
    }

    /** checkpointctl walks pstree.img in file order (ascending pids in practice). */
    private static List<ProcessInfo> byPstreeOrder(ProcessTree tree) {
        return tree.all().stream().sorted(java.util.Comparator.comparingInt(ProcessInfo::pid)).toList();
    }

    private static List<Map<String, Object>> mounts(List<Mount> mounts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Mount m : mounts) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("destination", m.destination());
            node.put("type", m.type());
            node.put("source", m.source());
            if (!m.options().isEmpty()) node.put("options", m.options());
            out.add(node);
        }
        return out;
    }

    /** stasis-only container keys: rootfs diff, deleted files, logs, CRIU's mounts, warnings. */
    private static void extras(Checkpoint cp, Map<String, Object> node) {
        node.put("archive", cp.archive().path().toString());
        node.put("compression", cp.archive().compression().name().toLowerCase());
        List<Map<String, Object>> diff = new ArrayList<>();
        for (RootfsDiffEntry e : cp.rootfsDiff()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", e.path());
            m.put("type", e.type());
            m.put("size", e.size());
            m.put("mode", String.format("%04o", e.mode()));
            putIf(m, "link_target", e.linkTarget());
            putIf(m, "sha256", e.sha256());
            diff.add(m);
        }
        node.put("rootfs_diff", diff);
        node.put("deleted_files", cp.deletedFiles());
        List<Map<String, Object>> criuMounts = new ArrayList<>();
        for (Mount m : cp.criuMounts()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("mount_id", m.mountId());
            x.put("parent_mount_id", m.parentMountId());
            x.put("mountpoint", m.destination());
            x.put("type", m.type());
            x.put("source", m.source());
            x.put("root", m.root());
            if (!m.options().isEmpty()) x.put("options", String.join(",", m.options()));
            criuMounts.add(x);
        }
        node.put("criu_mounts", criuMounts);
        cp.containerLog().ifPresent(b -> node.put("container_log", text(b)));
        cp.dumpLog().ifPresent(b -> node.put("dump_log", text(b)));
        List<String> warnings = cp.warnings();
        if (!warnings.isEmpty()) node.put("warnings", warnings);
    }

    private static String text(byte[] b) {
        if (b.length <= LOG_LIMIT) return new String(b, StandardCharsets.UTF_8);
        return new String(b, b.length - LOG_LIMIT, LOG_LIMIT, StandardCharsets.UTF_8) + "\n[... first " + (b.length - LOG_LIMIT) + " bytes omitted]";
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null && !(v instanceof String s && s.isEmpty())) m.put(k, v);
    }

    private static void putNonZero(Map<String, Object> m, String k, long v) {
        if (v != 0) m.put(k, v);
    }
}
