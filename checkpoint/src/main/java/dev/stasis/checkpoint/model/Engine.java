package dev.stasis.checkpoint.model;

/** The container engine that wrote a checkpoint, detected from its bytes (spec annotations, layout). */
public enum Engine {
    PODMAN("Podman"), CRIO("CRI-O"), CONTAINERD("containerd"), UNKNOWN("unknown");

    private final String display;

    Engine(String display) {
        this.display = display;
    }

    /** The name checkpointctl prints ("Podman", "CRI-O", "containerd"). */
    public String display() {
        return display;
    }
}
