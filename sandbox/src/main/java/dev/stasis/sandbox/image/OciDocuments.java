package dev.stasis.sandbox.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The JSON documents of an OCI image (image-spec v1.1): config, manifest, and the layout's index.
 * Written compact and with a fixed key order, so the same checkpoint gives the same digests.
 */
final class OciDocuments {
    static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciDocuments() {}

    static byte[] config(String architecture, String os, Instant created, String diffId, String createdBy) {
        ObjectNode c = JSON.createObjectNode();
        c.put("created", DateTimeFormatter.ISO_INSTANT.format(created));
        c.put("architecture", architecture);
        c.put("os", os);
        c.putObject("config");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId);
        ObjectNode h = c.putArray("history").addObject();
        h.put("created", DateTimeFormatter.ISO_INSTANT.format(created));
        h.put("created_by", createdBy);
        return bytes(c);
    }

    static byte[] manifest(String configDigest, long configSize, String layerMediaType, String layerDigest, long layerSize,
                           Map<String, String> annotations) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", CheckpointImage.MANIFEST_MEDIA_TYPE);
        descriptor(m.putObject("config"), CONFIG_MEDIA_TYPE, configDigest, configSize);
        descriptor(((ArrayNode) m.putArray("layers")).addObject(), layerMediaType, layerDigest, layerSize);
        ObjectNode a = m.putObject("annotations");
        annotations.forEach(a::put);
        return bytes(m);
    }

    /** index.json of a layout holding one manifest, named by tag as skopeo and podman name it, with the image's annotations. */
    static byte[] index(String manifestDigest, long manifestSize, String tag, Map<String, String> annotations) {
        ObjectNode i = JSON.createObjectNode();
        i.put("schemaVersion", 2);
        i.put("mediaType", INDEX_MEDIA_TYPE);
        ObjectNode d = i.putArray("manifests").addObject();
        descriptor(d, CheckpointImage.MANIFEST_MEDIA_TYPE, manifestDigest, manifestSize);
        d.putObject("annotations").put(REF_NAME, tag);
        // containerd 2.1-2.3 looks for the checkpoint annotations in the blob an image record points
        // at; an import that points it at the index (ctr import --index-name) finds them here too
        ObjectNode a = i.putObject("annotations");
        annotations.forEach(a::put);
        return bytes(i);
    }

    static byte[] layoutMarker() {
        return "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void descriptor(ObjectNode d, String mediaType, String digest, long size) {
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
