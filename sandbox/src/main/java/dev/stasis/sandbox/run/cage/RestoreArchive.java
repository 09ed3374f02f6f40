package dev.stasis.sandbox.run.cage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.checkpoint.archive.ArchiveMember;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.sandbox.run.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The copy of a Podman checkpoint archive that {@code podman container restore --import} is
 * given: the evidence itself is only read, member by member, and written to a plain tar in the
 * run directory with two members rewritten. Podman 4.3 honours, on import
 * ({@code pkg/checkpoint/checkpoint_restore.go}, {@code libpod/container_internal_common.go}
 * {@code restore()}): a container config without {@code createNetNS}, whose spec names a network
 * namespace path, is restored into that namespace and podman sets up no network of its own;
 * {@code dnsServer} becomes the container's resolv.conf; the spec's mounts and resources are
 * used as written. So the copy names the cage's namespace, points every bind mount from the host
 * at an empty run-directory path, caps CPU, memory and pids, drops port mappings, and renames
 * the container so that cleanup can find it by name.
 */
public final class RestoreArchive {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bind-mount destinations that are files in every runtime's containers (CRI-O mounts these from the host). */
    private static final java.util.Set<String> FILES = java.util.Set.of("/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
            "/dev/termination-log", "/run/.containerenv", "/run/secrets/kubernetes.io/serviceaccount/token");

    /** Limits applied to the restored container (the lower of these and the original's). */
    public record Limits(long memoryBytes, long cpuQuotaMicros, long cpuPeriodMicros, long pids) {
        public static Limits standard() {
            return new Limits(1L << 30, 100_000, 100_000, 512);
        }
    }

    /** What the rewrite did, for the run's record. */
    public record Rewrite(Path archive, String imageId, String imageName, String containerId,
                          List<String> replacedMounts, boolean seccomp) {}

    private RestoreArchive() {}

    /**
     * Reads config.dump for what the restore needs before anything is created: podman's own, or,
     * for a CRI-O/kubelet archive (whose config.dump is CRI-O's reduced form: id, name, image
     * references, runtime, times), a podman config built from it and spec.dump, with the image
     * left for the caller to resolve ({@link #imageCandidates}).
     */
    public static ObjectNode config(CheckpointArchive archive) {
        if (!archive.has("config.dump") || !archive.has("spec.dump")) {
            throw new SandboxException("not a Podman or CRI-O checkpoint archive (no config.dump/spec.dump)");
        }
        try {
            JsonNode c = JSON.readTree(archive.read("config.dump"));
            if (!(c instanceof ObjectNode o) || !o.path("id").isTextual()) throw new SandboxException("config.dump is damaged (no container id)");
            if (!reduced(o)) return o;
            JsonNode spec = JSON.readTree(archive.read("spec.dump"));
            if (!(spec instanceof ObjectNode so)) throw new SandboxException("spec.dump is damaged");
            return fromCrio(o, so);
        } catch (IOException e) {
            throw new SandboxException("config.dump is damaged: " + e.getMessage());
        }
    }

    /** CRI-O's config.dump has neither podman's spec nor its image id. */
    static boolean reduced(ObjectNode c) {
        return !c.has("spec") && !c.has("rootfsImageID");
    }

    /**
     * How the base image is named for podman: podman's exact image id; for a CRI-O archive, CRI-O's image
     * reference (the image id), or its image name only when the archive has no reference. Never a name
     * when an id is known: the rootfs diff only fits the image it was taken against.
     */
    public static List<String> imageCandidates(ObjectNode config) {
        String ref = config.path("crioRootfsImageRef").asText("");
        String name = config.path("crioRootfsImage").asText("");
        String id = config.path("rootfsImageID").asText("");
        if (!ref.isEmpty()) return List.of(ref);
        if (config.has("crioRootfsImage") && !name.isEmpty()) return List.of(name);
        return id.isEmpty() ? List.of() : List.of(id);
    }

    /**
     * The podman container config for a CRI-O archive: what podman's import reads (ContainerConfig's JSON
     * names), with the values the CRI-O archive has; runc, cgroupfs and podman's defaults for the rest.
     */
    private static ObjectNode fromCrio(ObjectNode crio, ObjectNode spec) {
        ObjectNode c = JSON.createObjectNode();
        String id = crio.path("id").asText();
        c.put("id", id);
        c.put("name", crio.path("name").asText("crio-" + id.substring(0, Math.min(12, id.length()))));
        c.put("rootfsImageID", "");
        c.put("rootfsImageName", crio.path("rootfsImage").asText(crio.path("rootfsImageName").asText("")));
        c.put("crioRootfsImageRef", crio.path("rootfsImageRef").asText(""));
        c.put("crioRootfsImage", crio.path("rootfsImage").asText(""));
        c.put("RawImageName", c.path("rootfsImageName").asText());
        c.put("runtime", "runc");
        c.put("cgroupManager", "cgroupfs");
        c.put("cgroupParent", "/libpod_parent");
        c.put("createdTime", crio.path("createdTime").asText(java.time.Instant.now().toString()));
        c.put("stopSignal", 15);
        c.put("stopTimeout", 10);
        c.put("logDriver", "k8s-file");
        c.put("umask", "0022");
        c.putArray("CreateCommand");
        c.putObject("idMappingsOptions");
        ObjectNode s = spec.deepCopy();
        // CRI-O's spec joins the pod sandbox's namespaces by path and names a systemd cgroup: neither exists here
        for (JsonNode n : s.with("linux").withArray("namespaces")) ((ObjectNode) n).remove("path");
        if (s.path("linux").path("cgroupsPath").asText("").contains(":") || !s.path("linux").has("cgroupsPath")) {
            s.with("linux").put("cgroupsPath", "/libpod_parent/libpod-" + id);
        }
        c.set("spec", s);
        return c;
    }

    public static Rewrite write(CheckpointArchive archive, Path target, String containerName, String netnsPath, String dns,
                                Path mountsDir, Limits limits, String imageId, String imageName) {
        ObjectNode config = config(archive);
        boolean converted = config.has("crioRootfsImageRef") || config.has("crioRootfsImage");
        config.remove(List.of("crioRootfsImageRef", "crioRootfsImage"));
        config.put("rootfsImageID", imageId);
        if (imageName != null && !imageName.isEmpty()) config.put("rootfsImageName", imageName);
        if (config.path("rootfs").isTextual() && !config.path("rootfs").asText().isEmpty()) {
            throw new SandboxException("the container ran from a host directory (--rootfs " + config.path("rootfs").asText()
                    + "): that directory is not in the checkpoint, refusing to mount it");
        }
        if (config.path("namedVolumes").isArray() && !config.path("namedVolumes").isEmpty()) {
            throw new SandboxException("the container used named volumes: restoring them is not supported yet");
        }
        ObjectNode spec;
        try {
            spec = (ObjectNode) JSON.readTree(archive.read("spec.dump"));
        } catch (IOException | ClassCastException e) {
            throw new SandboxException("spec.dump is damaged: " + e.getMessage());
        }
        if (converted) spec = (ObjectNode) config.get("spec").deepCopy();
        List<String> replaced = new ArrayList<>();
        rewriteSpec(spec, config.path("id").asText(), netnsPath, mountsDir, limits, replaced);
        if (config.get("spec") instanceof ObjectNode inner) rewriteSpec(inner, config.path("id").asText(), netnsPath, mountsDir, limits, new ArrayList<>());
        config.put("name", containerName);
        config.put("createNetNS", false);
        config.put("postConfigureNetNS", false);
        config.put("networkMode", "ns:" + netnsPath);
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            String k = it.next().getKey();
            // podman's networks, static addresses and host port forwards: none of them may exist in the cage
            if (k.equals("newNetworks") || k.equals("networks") || k.equals("staticIP") || k.equals("staticMAC")
                    || k.toLowerCase(java.util.Locale.ROOT).contains("portmappings") || k.startsWith("dns")
                    || k.equals("hostAdd") || k.equals("exposedPorts")) {
                it.remove();
            }
        }
        config.putArray("dnsServer").add(dns);
        try (OutputStream os = Files.newOutputStream(target);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (ArchiveMember m : archive.members()) {
                switch (m.type()) {
                    case DIRECTORY -> {
                        TarArchiveEntry e = new TarArchiveEntry(m.name() + "/");
                        e.setMode(m.mode() == 0 ? 0755 : m.mode());
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    }
                    case FILE -> {
                        byte[] replacement = switch (m.name()) {
                            case "config.dump" -> JSON.writeValueAsBytes(config);
                            case "spec.dump" -> JSON.writeValueAsBytes(spec);
                            default -> null;
                        };
                        TarArchiveEntry e = new TarArchiveEntry(m.name());
                        e.setMode(m.mode() == 0 ? 0644 : m.mode());
                        e.setSize(replacement != null ? replacement.length : m.size());
                        tar.putArchiveEntry(e);
                        if (replacement != null) {
                            tar.write(replacement);
                        } else {
                            try (InputStream in = archive.open(m.name())) {
                                in.transferTo(tar);
                            }
                        }
                        tar.closeArchiveEntry();
                    }
                    case SYMLINK -> {
                        TarArchiveEntry e = new TarArchiveEntry(m.name(), TarArchiveEntry.LF_SYMLINK);
                        e.setLinkName(m.linkTarget());
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    }
                    default -> { } // hard links and devices are not part of a Podman export's top level
                }
            }
            tar.finish();
        } catch (IOException e) {
            throw new SandboxException("cannot write the restore copy " + target + ": " + e.getMessage(), e);
        }
        return new Rewrite(target, config.path("rootfsImageID").asText(""), config.path("rootfsImageName").asText(""),
                config.path("id").asText(), replaced, spec.path("linux").has("seccomp"));
    }

    private static void rewriteSpec(ObjectNode spec, String id, String netnsPath, Path mountsDir, Limits limits, List<String> replaced) {
        ObjectNode linux = spec.with("linux");
        ArrayNode ns = linux.withArray("namespaces");
        boolean found = false;
        for (JsonNode n : ns) {
            if ("network".equals(n.path("type").asText())) {
                ((ObjectNode) n).put("path", netnsPath);
                found = true;
            }
        }
        if (!found) ns.addObject().put("type", "network").put("path", netnsPath);
        int i = 0;
        for (JsonNode m : spec.withArray("mounts")) {
            ObjectNode mount = (ObjectNode) m;
            boolean bind = "bind".equals(mount.path("type").asText())
                    || (mount.path("options").toString().contains("\"bind\"") || mount.path("options").toString().contains("\"rbind\""));
            String source = mount.path("source").asText("");
            if (!bind || podmanManaged(source, id)) continue;
            String dest = mount.path("destination").asText("");
            Path empty = mountsDir.resolve(String.format("%02d-%s", i++, dest.replaceAll("[^A-Za-z0-9._-]", "_")));
            try {
                // the checkpoint does not say whether the source was a file or a directory; a name with a
                // dot in its last component (docker.sock, app.conf) is taken for a file
                if (FILES.contains(dest) || dest.substring(dest.lastIndexOf('/') + 1).contains(".")) {
                    Files.createDirectories(mountsDir);
                    if (!Files.exists(empty)) Files.createFile(empty);
                } else {
                    Files.createDirectories(empty);
                }
            } catch (IOException e) {
                throw new SandboxException("cannot create the empty stand-in for " + dest + ": " + e.getMessage(), e);
            }
            mount.put("source", empty.toString());
            replaced.add(dest + " (was " + source + ")");
        }
        ObjectNode res = linux.with("resources");
        ObjectNode mem = res.with("memory");
        mem.put("limit", min(mem.path("limit").asLong(0), limits.memoryBytes()));
        mem.put("swap", min(mem.path("swap").asLong(0), limits.memoryBytes()));
        ObjectNode cpu = res.with("cpu");
        cpu.put("quota", min(cpu.path("quota").asLong(0), limits.cpuQuotaMicros()));
        cpu.put("period", limits.cpuPeriodMicros());
        ObjectNode pids = res.with("pids");
        pids.put("limit", min(pids.path("limit").asLong(0), limits.pids()));
    }

    /** The container's own files podman keeps per container id (/etc/hosts, resolv.conf, /dev/shm...); podman recreates them. */
    private static boolean podmanManaged(String source, String id) {
        // only this container's own directory: a crafted spec naming another container's files gets an empty stand-in
        if (!id.matches("[0-9a-f]{64}") || source.contains("..")) return false;
        return source.startsWith("/run/containers/storage/overlay-containers/" + id + "/userdata/")
                || source.startsWith("/var/lib/containers/storage/overlay-containers/" + id + "/userdata/");
    }

    private static long min(long current, long cap) {
        return current <= 0 ? cap : Math.min(current, cap);
    }
}
