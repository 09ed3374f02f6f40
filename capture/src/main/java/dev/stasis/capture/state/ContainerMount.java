package dev.stasis.capture.state;

/**
 * One mount of a container, from the {@code Mounts} array of a container event's JSON
 * (libsinsp's container_mount_info: Source, Destination, Mode, RW, Propagation).
 */
public record ContainerMount(String source, String dest, String mode, boolean readWrite, String propagation) {
    /** libsinsp's to_string: {@code source:dest:mode:true|false:propagation} (container.mount, container.mounts). */
    public String text() {
        return source + ":" + dest + ":" + mode + ":" + readWrite + ":" + propagation;
    }
}
