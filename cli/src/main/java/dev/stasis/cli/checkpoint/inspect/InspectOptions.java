package dev.stasis.cli.checkpoint.inspect;

/**
 * What {@code stasis inspect} shows; {@code --all} turns everything on, as checkpointctl's does.
 * Secrets in environments are masked unless {@code showSecrets} (analyze masks them the same way).
 */
public record InspectOptions(boolean psTree, boolean psTreeCmd, boolean psTreeEnv, boolean files, boolean sockets,
                             boolean mounts, boolean stats, boolean metadata, boolean extras, Integer pid, boolean showSecrets) {
    public static InspectOptions all() {
        return new InspectOptions(true, true, true, true, true, true, true, true, true, null, false);
    }

    /** The process tree is needed by any per-process view. */
    public boolean needsProcesses() {
        return psTree || psTreeCmd || psTreeEnv || files || sockets || extras || pid != null;
    }

    public boolean needsMemory() {
        return psTreeCmd || psTreeEnv || extras;
    }
}
