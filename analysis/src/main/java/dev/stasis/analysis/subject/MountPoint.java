package dev.stasis.analysis.subject;

import java.util.List;

/** A mount from the container's OCI spec. */
public record MountPoint(String destination, String type, String source, List<String> options) {
    public MountPoint {
        options = options == null ? List.of() : List.copyOf(options);
    }

    public boolean isBind() {
        return "bind".equals(type) || options.contains("bind") || options.contains("rbind");
    }

    public boolean readOnly() {
        return options.contains("ro");
    }
}
