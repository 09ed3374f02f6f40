package dev.stasis.checkpoint.model;

/**
 * A mount of the container. From the OCI spec ({@code spec.dump}: destination, type, source, options)
 * and, when present, CRIU's {@code mountpoints-*.img} (mount id, parent, root inside the source fs).
 *
 * @param origin "spec" or "criu"
 */
public record Mount(String destination, String type, String source, java.util.List<String> options,
                    Integer mountId, Integer parentMountId, String root, String origin) {
    public Mount {
        options = options == null ? java.util.List.of() : java.util.List.copyOf(options);
    }
}
