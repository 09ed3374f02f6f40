package dev.stasis.evidence;

/** Told how far a long store or read has got; called from the copying thread. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {};

    /** @param total the expected size, or -1 when unknown */
    void progress(long bytesDone, long total);
}
