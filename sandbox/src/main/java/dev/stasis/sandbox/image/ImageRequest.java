package dev.stasis.sandbox.image;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to build and where: the checkpoint archive (Podman export, CRI-O/kubelet or containerd
 * tar, compressed or not), the destination, and optional extras.
 *
 * @param sourceSha256 the archive's SHA-256 when already known (a vault item's id); null to hash the file
 * @param architecture the config's architecture in OCI terms; null for this machine's, as buildah does
 * @param extraAnnotations added to the derived ones (and override them)
 * @param progress     told how far the layer is (bytes of members copied), or null
 */
public record ImageRequest(Path archive, ImageTarget target, LayerCompression compression, String sourceSha256,
                           String architecture, Map<String, String> extraAnnotations, ImageProgress progress) {
    public ImageRequest {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(target, "target");
        compression = compression == null ? LayerCompression.GZIP : compression;
        architecture = architecture == null || architecture.isBlank() ? hostArchitecture() : architecture;
        extraAnnotations = extraAnnotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(extraAnnotations));
        progress = progress == null ? ImageProgress.NONE : progress;
    }

    public static ImageRequest of(Path archive, ImageTarget target) {
        return new ImageRequest(archive, target, null, null, null, null, null);
    }

    public ImageRequest withCompression(LayerCompression c) {
        return new ImageRequest(archive, target, c, sourceSha256, architecture, extraAnnotations, progress);
    }

    public ImageRequest withSourceSha256(String sha256) {
        return new ImageRequest(archive, target, compression, sha256, architecture, extraAnnotations, progress);
    }

    public ImageRequest withArchitecture(String arch) {
        return new ImageRequest(archive, target, compression, sourceSha256, arch, extraAnnotations, progress);
    }

    public ImageRequest withAnnotations(Map<String, String> annotations) {
        return new ImageRequest(archive, target, compression, sourceSha256, architecture, annotations, progress);
    }

    public ImageRequest withProgress(ImageProgress p) {
        return new ImageRequest(archive, target, compression, sourceSha256, architecture, extraAnnotations, p);
    }

    /** The JVM's architecture in OCI (GOARCH) terms. */
    public static String hostArchitecture() {
        String a = System.getProperty("os.arch", "amd64");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "x86", "i386", "i686" -> "386";
            default -> a;
        };
    }
}
