package dev.stasis.cli.checkpoint.inspect;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The human view of {@code stasis inspect}: the same data as the JSON (built by {@link InspectJson}),
 * laid out as a tree like checkpointctl's.
 */
public final class InspectTree {
    private InspectTree() {}

    @SuppressWarnings("unchecked")
    public static void print(Map<String, Object> n, PrintStream out) {
        out.println();
        out.println("Displaying container checkpoint tree view from " + n.getOrDefault("archive", ""));
        out.println();
        Object nameObj = n.get("container_name");
        TreePrinter t = new TreePrinter(nameObj == null || nameObj.toString().isEmpty() ? "Container" : nameObj.toString());
        t.add("Image: " + n.get("image"));
        t.add("ID: " + n.get("id"));
        t.add("Runtime: " + n.get("runtime"));
        t.add("Created: " + n.get("created"));
        if (n.containsKey("checkpointed")) t.add("Checkpointed: " + n.get("checkpointed"));
        t.add("Engine: " + n.get("engine"));
        if (n.containsKey("ip")) t.add("IP: " + n.get("ip"));
        if (n.containsKey("mac")) t.add("MAC: " + n.get("mac"));
        Map<String, Object> size = (Map<String, Object>) n.get("checkpoint_size");
        TreePrinter s = t.add("Checkpoint size: " + Formats.bytes(num(size.get("total_size"))));
        if (size.containsKey("memory_pages_size")) s.add("Memory pages size: " + Formats.bytes(num(size.get("memory_pages_size"))));
        if (size.containsKey("root_fs_diff_size")) t.add("Root FS diff size: " + Formats.bytes(num(size.get("root_fs_diff_size"))));
        if (n.get("statistics") instanceof Map<?, ?> st) {
            TreePrinter b = t.add("CRIU dump statistics");
            st.forEach((k, v) -> b.add(k + ": " + v + (k.toString().endsWith("_time") ? " us" : "")));
        }
        if (n.get("metadata") instanceof Map<?, ?> md) {
            TreePrinter b = t.add("Metadata");
            if (md.containsKey("pod_name")) b.add("Pod name: " + md.get("pod_name"));
            if (md.containsKey("kubernetes_namespace")) b.add("Kubernetes namespace: " + md.get("kubernetes_namespace"));
            if (md.get("annotations") instanceof Map<?, ?> an) {
                TreePrinter a = b.add("Annotations");
                an.forEach((k, v) -> a.add(k + ": " + v));
            }
        }
        if (n.get("process_tree") instanceof Map<?, ?> ps) {
            TreePrinter b = t.add("Process tree");
            process(b, (Map<String, Object>) ps);
        }
        if (n.get("file_descriptors") instanceof List<?> fds) {
            TreePrinter b = t.add("Open files");
            for (Object o : fds) {
                Map<String, Object> fd = (Map<String, Object>) o;
                TreePrinter p = b.add("[" + fd.get("pid") + "]");
                if (fd.get("open_files") instanceof List<?> files) {
                    for (Object f : files) {
                        Map<String, Object> file = (Map<String, Object>) f;
                        p.add("[" + file.get("fd") + "] " + file.getOrDefault("description", file.get("path")));
                    }
                }
            }
        }
        if (n.get("sockets") instanceof List<?> sks) {
            TreePrinter b = t.add("Sockets");
            for (Object o : sks) {
                Map<String, Object> sk = (Map<String, Object>) o;
                TreePrinter p = b.add("[" + sk.get("pid") + "]");
                for (Object x : (List<Object>) sk.get("open_sockets")) {
                    Map<String, Object> d = (Map<String, Object>) ((Map<String, Object>) x).get("data");
                    if ("UNIX".equals(d.get("type"))) {
                        p.add("[fd " + d.get("fd") + "] UNIX " + d.get("socket_type") + " " + d.getOrDefault("address", "") + " (" + d.get("state") + ")");
                    } else if (d.containsKey("src")) {
                        TreePrinter q = p.add("[fd " + d.get("fd") + "] " + d.get("type") + " " + d.get("src") + ":" + d.getOrDefault("src_port", 0)
                                + " -> " + d.get("dst") + ":" + d.getOrDefault("dst_port", 0) + " (" + d.get("state") + ")"
                                + " send " + d.get("send_buf") + " recv " + d.get("recv_buf"));
                        if (num(d.get("in_queue")) > 0) q.add("in queue " + d.get("in_queue") + " bytes: " + d.getOrDefault("in_queue_preview", ""));
                        if (num(d.get("out_queue")) > 0) q.add("out queue " + d.get("out_queue") + " bytes: " + d.getOrDefault("out_queue_preview", ""));
                    } else {
                        p.add("[fd " + d.get("fd") + "] socket");
                    }
                }
            }
        }
        if (n.get("mounts") instanceof List<?> ms) {
            TreePrinter b = t.add("Overview of mounts");
            for (Object o : ms) {
                Map<String, Object> m = (Map<String, Object>) o;
                b.add("Destination: " + m.get("destination")).add("Type: " + m.get("type") + ", Source: " + m.get("source"));
            }
        }
        if (n.get("rootfs_diff") instanceof List<?> diff && !diff.isEmpty()) {
            TreePrinter b = t.add("Root FS diff");
            for (Object o : diff) {
                Map<String, Object> e = (Map<String, Object>) o;
                String line = e.get("path") + " (" + e.get("type") + ", " + e.get("mode") + (e.get("type").equals("file") ? ", " + e.get("size") + " bytes" : "") + ")";
                TreePrinter x = b.add(line);
                if (e.containsKey("sha256")) x.add("sha256 " + e.get("sha256"));
                if (e.containsKey("link_target")) x.add("-> " + e.get("link_target"));
            }
        }
        if (n.get("deleted_files") instanceof List<?> del && !del.isEmpty()) {
            TreePrinter b = t.add("Deleted files");
            del.forEach(d -> b.add(String.valueOf(d)));
        }
        if (n.get("container_log") instanceof String log && !log.isEmpty()) {
            TreePrinter b = t.add("Container log (last lines)");
            tail(log, 10).forEach(b::add);
        }
        if (n.get("dump_log") instanceof String log && !log.isEmpty()) {
            TreePrinter b = t.add("CRIU dump.log (last lines)");
            tail(log, 5).forEach(b::add);
        }
        if (n.get("warnings") instanceof List<?> w) {
            TreePrinter b = t.add("Warnings");
            w.forEach(x -> b.add(String.valueOf(x)));
        }
        t.print(out);
    }

    @SuppressWarnings("unchecked")
    private static void process(TreePrinter parent, Map<String, Object> p) {
        String label = "[" + p.get("pid") + "]  " + p.get("command");
        if (!"Alive".equals(p.get("task_state"))) label += " (" + p.get("task_state") + (Boolean.TRUE.equals(p.get("zombie")) ? ", zombie" : "") + (p.containsKey("exit_code") ? ", exit " + p.get("exit_code") : "") + ")";
        TreePrinter node = parent.add(label);
        if (p.containsKey("cmdline")) node.add("Cmdline: " + p.get("cmdline"));
        if (p.containsKey("exe")) node.add("Exe: " + p.get("exe"));
        if (p.get("credentials") instanceof Map<?, ?> c) {
            node.add("Creds: uids " + c.get("uids") + " gids " + c.get("gids") + " seccomp " + c.get("seccomp")
                    + (Boolean.TRUE.equals(c.get("no_new_privs")) ? " no_new_privs" : "") + " caps " + c.get("cap_effective"));
        }
        if (p.get("environment") instanceof List<?> env && !env.isEmpty()) {
            TreePrinter e = node.add("Environment variables");
            env.forEach(x -> e.add(String.valueOf(x)));
        } else if (p.get("environment_variables") instanceof Map<?, ?> env) {
            TreePrinter e = node.add("Environment variables");
            env.forEach((k, v) -> e.add(k + "=" + v));
        }
        if (p.get("children") instanceof List<?> kids) {
            for (Object k : kids) process(node, (Map<String, Object>) k);
        }
    }

    private static List<String> tail(String text, int lines) {
        List<String> all = List.of(text.split("\n"));
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    private static long num(Object o) {
        return o instanceof Number x ? x.longValue() : 0;
    }
}
