package dev.stasis.sandbox.image;

import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.Engine;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The manifest annotations that make the container runtimes treat an image as a checkpoint,
 * derived from the archive's own metadata. Each runtime looks for its own key:
 * <ul>
 *   <li>CRI-O ({@code server/container_restore.go}) restores from an image whose OCI manifest
 *       carries {@value #CRIO_NAME};</li>
 *   <li>containerd 2.1-2.3 reads the blob its image record points at (the manifest, for an image
 *       pushed or imported as one) and looks for checkpointctl's {@value #CRIU_NAME};</li>
 *   <li>podman ({@code pkg/checkpoint/crutils}, {@code cmd/podman/containers/restore.go}) wants
 *       {@value #PODMAN_RUNTIME} and refuses the image when it names another OCI runtime than the host's.</li>
 * </ul>
 * A value the archive does not record is left out rather than written empty.
 */
public final class CheckpointAnnotations {
    public static final String CRIO_NAME = "io.kubernetes.cri-o.annotations.checkpoint.name";
    public static final String CRIO_ROOTFS_IMAGE_NAME = "io.kubernetes.cri-o.annotations.checkpoint.rootfsImageName";
    public static final String CRIO_ROOTFS_IMAGE_ID = "io.kubernetes.cri-o.annotations.checkpoint.rootfsImageID";

    public static final String CRIU_ENGINE = "org.criu.checkpoint.engine.name";
    public static final String CRIU_NAME = "org.criu.checkpoint.container.name";
    public static final String CRIU_POD = "org.criu.checkpoint.pod.name";
    public static final String CRIU_NAMESPACE = "org.criu.checkpoint.pod.namespace";
    public static final String CRIU_ROOTFS_IMAGE_NAME = "org.criu.checkpoint.rootfsImageName";
    public static final String CRIU_ROOTFS_IMAGE_ID = "org.criu.checkpoint.rootfsImageID";
    public static final String CRIU_RUNTIME = "org.criu.checkpoint.runtime.name";
    public static final String CRIU_HOST_ARCH = "org.criu.checkpoint.host.arch";

    public static final String PODMAN_NAME = "io.podman.annotations.checkpoint.name";
    public static final String PODMAN_RAW_IMAGE_NAME = "io.podman.annotations.checkpoint.rawImageName";
    public static final String PODMAN_ROOTFS_IMAGE_NAME = "io.podman.annotations.checkpoint.rootfsImageName";
    public static final String PODMAN_ROOTFS_IMAGE_ID = "io.podman.annotations.checkpoint.rootfsImageID";
    public static final String PODMAN_RUNTIME = "io.podman.annotations.checkpoint.runtime.name";
    public static final String PODMAN_HOST_ARCH = "io.podman.annotations.checkpoint.host.arch";

    /** Written by stasis: the SHA-256 of the archive the layer was made from. */
    public static final String STASIS_SOURCE_SHA256 = "dev.stasis.checkpoint.source.sha256";

    private CheckpointAnnotations() {}

    /**
     * The annotations for a checkpoint of this container. {@code architecture} is the image's
     * (OCI names: amd64, arm64).
     */
    public static Map<String, String> derive(Container c, String architecture) {
        String name = first(c.containerName(), c.name());
        if (name == null) throw new ImageException.NotACheckpoint("the checkpoint names no container (config.dump has no name)");
        Map<String, String> a = new LinkedHashMap<>();
        put(a, CRIO_NAME, name);
        put(a, CRIO_ROOTFS_IMAGE_NAME, c.imageName());
        put(a, CRIO_ROOTFS_IMAGE_ID, c.imageRef());

        put(a, CRIU_ENGINE, c.engine() == null || c.engine() == Engine.UNKNOWN ? null : c.engine().display());
        put(a, CRIU_NAME, name);
        put(a, CRIU_POD, c.podName());
        put(a, CRIU_NAMESPACE, c.namespace());
        put(a, CRIU_ROOTFS_IMAGE_NAME, c.imageName());
        put(a, CRIU_ROOTFS_IMAGE_ID, c.imageRef());
        put(a, CRIU_RUNTIME, c.runtime());
        put(a, CRIU_HOST_ARCH, architecture);

        if (c.engine() == Engine.PODMAN) {
            // podman names the container by its own name (not the k8s container name) and
            // restores it under that name unless told otherwise
            put(a, PODMAN_NAME, first(c.name(), name));
            // config.dump's RawImageName; the model keeps rootfsImageName first, which podman sets to the same
            put(a, PODMAN_RAW_IMAGE_NAME, c.imageName());
            put(a, PODMAN_ROOTFS_IMAGE_NAME, c.imageName());
            put(a, PODMAN_ROOTFS_IMAGE_ID, c.imageRef());
            // podman refuses a checkpoint image without it: the key it recognises one by
            put(a, PODMAN_RUNTIME, c.runtime() == null ? "runc" : c.runtime());
            put(a, PODMAN_HOST_ARCH, architecture);
        }
        return Collections.unmodifiableMap(a);
    }

    private static void put(Map<String, String> a, String k, String v) {
        if (v != null && !v.isBlank()) a.put(k, v);
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }
}
