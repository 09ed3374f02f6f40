package dev.stasis.sandbox.image;

/**
 * Runs a sink's clean-up when the JVM is stopped (Ctrl-C, SIGTERM) in the middle of writing, so an
 * interrupted build leaves no temporary layout or partial archive behind. A SIGKILL cannot be
 * caught: its leftovers are the hidden {@code .NAME.tmp-*} siblings of the destination.
 */
final class Interrupted implements AutoCloseable {
    private final Thread hook;

    Interrupted(Runnable cleanup) {
        this.hook = new Thread(cleanup, "stasis-image-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // already stopping: the caller's own failure path cleans up
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran
        }
    }
}
