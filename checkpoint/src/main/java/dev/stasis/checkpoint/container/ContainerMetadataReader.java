package dev.stasis.checkpoint.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.ArchiveMember;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.criu.images.Stats;
import dev.stasis.checkpoint.model.CheckpointSizes;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.CriuStatistics;
import dev.stasis.checkpoint.model.Engine;
import dev.stasis.checkpoint.model.NetworkInterface;
import dev.stasis.checkpoint.model.RuntimeSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the {@link Container} from an archive's metadata members: {@code config.dump},
 * {@code spec.dump}, {@code network.status} (Podman), {@code status} (containerd) and
 * {@code stats-dump}. Every member is optional; a malformed one is an error naming it.
 */
public final class ContainerMetadataReader {
    static final ObjectMapper JSON = new ObjectMapper();

    private ContainerMetadataReader() {}

    public static Container read(CheckpointArchive archive) {
        JsonNode config = json(archive, "config.dump");
        JsonNode spec = json(archive, "spec.dump");
        Map<String, String> annotations = annotations(spec);
        Engine engine = EngineDetector.detect(archive, annotations);

        String name = text(config, "name");
        String podName = annotations.get("io.kubernetes.pod.name");
        String namespace = annotations.get("io.kubernetes.pod.namespace");
        String k8sContainer = annotations.get("io.kubernetes.container.name");
        Instant created = time(text(config, "createdTime"));
        List<NetworkInterface> networks = new ArrayList<>();
        switch (engine) {
            case PODMAN -> networks.addAll(podmanNetworks(json(archive, "network.status")));
            case CRIO -> {
                String crioName = crioContainerName(annotations.get("io.kubernetes.cri-o.Metadata"));
                if (crioName != null) name = crioName;
                if (annotations.containsKey("io.kubernetes.cri-o.Created")) created = time(annotations.get("io.kubernetes.cri-o.Created"));
                for (int i = 0; annotations.containsKey("io.kubernetes.cri-o.IP." + i); i++) {
                    networks.add(new NetworkInterface(null, null, List.of(annotations.get("io.kubernetes.cri-o.IP." + i)), null, null));
                }
            }
            case CONTAINERD -> {
                name = annotations.getOrDefault("io.kubernetes.cri.container-name", name);
                podName = annotations.getOrDefault("io.kubernetes.cri.sandbox-name", podName);
                namespace = annotations.getOrDefault("io.kubernetes.cri.sandbox-namespace", namespace);
                if (k8sContainer == null) k8sContainer = annotations.get("io.kubernetes.cri.container-name");
            }
            default -> { }
        }
        Instant checkpointed = time(text(config, "checkpointedTime"));
        if (checkpointed == null) {
            // Podman does not record it; CRIU wrote inventory.img as the dump's last step.
            checkpointed = archive.member("checkpoint/inventory.img").map(ArchiveMember::modified).orElse(null);
        }
        String imageName = text(config, "rootfsImageName");
        if (imageName == null) imageName = text(config, "RawImageName");
        String imageRef = text(config, "rootfsImageRef");
        if (imageRef == null) imageRef = text(config, "rootfsImageID");
        if (imageRef == null) imageRef = text(config, "rootfsImage");
        return new Container(
                name,
                text(config, "id"),
                imageName,
                imageRef,
                text(config, "runtime"),
                engine,
                created,
                checkpointed,
                podName,
                namespace,
                k8sContainer,
                text(spec, "hostname"),
                networks,
                annotations,
                statistics(archive),
                sizes(archive));
    }

    /**
     * The spec's process, root and namespaces and the engine config's privileged flag, from
     * {@code spec} (the parsed {@code spec.dump}) and the archive's {@code config.dump}; empty
     * when there is no spec. A config.dump that is not JSON is a {@link CheckpointException}.
     */
    public static Optional<RuntimeSpec> runtimeSpec(JsonNode spec, CheckpointArchive archive) {
        if (spec == null) return Optional.empty();
        JsonNode config = json(archive, "config.dump");
        JsonNode proc = spec.path("process");
        JsonNode caps = proc.path("capabilities");
        List<RuntimeSpec.Namespace> namespaces = new ArrayList<>();
        JsonNode ns = spec.path("linux").path("namespaces");
        if (ns.isArray()) {
            for (JsonNode n : ns) namespaces.add(new RuntimeSpec.Namespace(n.path("type").asText(), n.path("path").asText("")));
        }
        return Optional.of(new RuntimeSpec(strings(proc.path("args")), strings(proc.path("env")), strings(caps.path("effective")),
                strings(caps.path("bounding")), proc.path("user").has("uid") ? proc.path("user").path("uid").asInt() : null,
                proc.path("noNewPrivileges").asBoolean(false), spec.path("root").path("readonly").asBoolean(false), namespaces,
                config != null && config.path("privileged").asBoolean(false)));
    }

    /** A JSON array's elements as text; empty for anything else. */
    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }

    static JsonNode json(CheckpointArchive archive, String member) {
        if (!archive.has(member)) return null;
        try {
            return JSON.readTree(archive.read(member));
        } catch (IOException e) {
            throw new CheckpointException(member + " is not valid JSON: " + oneLine(e.getMessage()));
        }
    }

    static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String text(JsonNode node, String field) {
        if (node == null) return null;
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    static Map<String, String> annotations(JsonNode spec) {
        Map<String, String> out = new TreeMap<>();
        if (spec == null) return out;
        JsonNode a = spec.get("annotations");
        if (a == null || !a.isObject()) return out;
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        return out;
    }

    static Instant time(String s) {
        if (s == null || s.isBlank() || s.startsWith("0001-01-01")) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String crioContainerName(String metadata) {
        if (metadata == null) return null;
        try {
            return text(JSON.readTree(metadata), "name");
        } catch (IOException e) {
            return null;
        }
    }

    /** network.status: {network: {interfaces: {eth0: {subnets: [{ipnet, gateway}], mac_address}}}}, sorted as checkpointctl does. */
    static List<NetworkInterface> podmanNetworks(JsonNode status) {
        List<NetworkInterface> out = new ArrayList<>();
        if (status == null || !status.isObject()) return out;
        Map<String, JsonNode> networks = new TreeMap<>();
        status.fields().forEachRemaining(e -> networks.put(e.getKey(), e.getValue()));
        networks.forEach((network, result) -> {
            JsonNode ifaces = result.get("interfaces");
            if (ifaces == null || !ifaces.isObject()) return;
            Map<String, JsonNode> sorted = new TreeMap<>();
            ifaces.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            sorted.forEach((ifName, iface) -> {
                List<String> addresses = new ArrayList<>();
                String gateway = null;
                JsonNode subnets = iface.get("subnets");
                if (subnets != null && subnets.isArray()) {
                    for (JsonNode s : subnets) {
                        String ipnet = text(s, "ipnet");
                        if (ipnet != null && !ipnet.isEmpty()) addresses.add(ipnet);
                        String gw = text(s, "gateway");
                        if (gw != null && !gw.isEmpty()) gateway = gw;
                    }
                }
                String mac = text(iface, "mac_address");
                out.add(new NetworkInterface(network, ifName, addresses, mac == null || mac.isEmpty() ? null : mac, gateway));
            });
        });
        return out;
    }

    /** stats-dump: IMG_SERVICE magic, the stats magic, then one length-prefixed stats_entry. */
    static CriuStatistics statistics(CheckpointArchive archive) {
        byte[] raw = null;
        for (String name : List.of("stats-dump", "checkpoint/stats-dump")) {
            if (archive.has(name)) {
                raw = archive.read(name);
                break;
            }
        }
        if (raw == null) return null;
        try {
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() < 12) return null;
            b.getInt();
            b.getInt();
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) return null;
            Stats.stats_entry e = Stats.stats_entry.parseFrom(ByteBuffer.wrap(raw, 12, len));
            if (!e.hasDump()) return null;
            var d = e.getDump();
            return new CriuStatistics(Integer.toUnsignedLong(d.getFreezingTime()), Integer.toUnsignedLong(d.getFrozenTime()),
                    Integer.toUnsignedLong(d.getMemdumpTime()), Integer.toUnsignedLong(d.getMemwriteTime()),
                    d.getPagesScanned(), d.getPagesSkippedParent(), d.getPagesWritten(), d.getPagesLazy(),
                    Integer.toUnsignedLong(d.getIrmapResolve()), d.getPagePipes(), d.getPagePipeBufs(),
                    d.getShpagesScanned(), d.getShpagesSkippedParent(), d.getShpagesWritten());
        } catch (IOException | RuntimeException e) {
            // statistics are a courtesy: a damaged stats-dump must not hide the rest of the checkpoint
            return null;
        }
    }

    static CheckpointSizes sizes(CheckpointArchive archive) {
        long total = 0, pages = 0, amd = 0;
        for (ArchiveMember m : archive.members()) {
            if (!m.isFile() || !m.name().startsWith("checkpoint/")) continue;
            total += m.size();
            String f = m.name().substring("checkpoint/".length());
            if (f.startsWith("pages-")) pages += m.size();
            else if (f.startsWith("amdgpu-pages-")) amd += m.size();
        }
        long diff = archive.member("rootfs-diff.tar").map(ArchiveMember::size).orElse(0L);
        long file;
        try {
            file = Files.isDirectory(archive.path()) ? archive.sizeOf("") : Files.size(archive.path());
        } catch (IOException e) {
            file = 0;
        }
        return new CheckpointSizes(total, pages, diff, amd, file);
    }

    static Map<String, String> linked(Map<String, String> m) {
        return new LinkedHashMap<>(m);
    }
}
