package dev.stasis.sandbox.image;

import java.time.Instant;
import java.util.Map;

/**
 * A checkpoint image as written: one layer holding the archive's members at {@code /}, an OCI
 * config and an OCI image manifest carrying the checkpoint annotations.
 *
 * @param manifestDigest  digest of the manifest ({@code sha256:...}): the image's identity in a registry
 * @param configDigest    digest of the config blob, the image id podman and skopeo print
 * @param layerDigest     digest of the (compressed) layer blob
 * @param layerSize       size of the layer blob in bytes
 * @param diffId          digest of the uncompressed layer tar ({@code rootfs.diff_ids[0]})
 * @param layerMediaType  {@code application/vnd.oci.image.layer.v1.tar+gzip} or {@code ...tar}
 * @param members         number of tar entries in the layer (archive members plus implied directories)
 * @param created         the config's creation time: the checkpoint's time, so the same archive gives the same image
 * @param destination     where it went ({@code oci:DIR:TAG}, {@code oci-archive:FILE:TAG}, {@code docker://HOST/REPO:TAG})
 */
public record CheckpointImage(
        String manifestDigest,
        long manifestSize,
        String configDigest,
        String layerDigest,
        long layerSize,
        String diffId,
        String layerMediaType,
        String architecture,
        String os,
        int members,
        Instant created,
        Map<String, String> annotations,
        String destination) {

    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

    public CheckpointImage {
        annotations = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(annotations));
    }
}
