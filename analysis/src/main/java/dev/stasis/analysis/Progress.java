package dev.stasis.analysis;

/**
 * Where a long analysis reports how far it is. The CLI draws a progress bar on
 * a terminal; everything else passes {@link #NONE}.
 */
public interface Progress {
    /** A new stage begins with {@code total} steps (0 when unknown). */
    void stage(String name, long total);

    /** {@code done} steps of the current stage are finished. */
    void advance(long done);

    Progress NONE = new Progress() {
        @Override
        public void stage(String name, long total) {}

        @Override
        public void advance(long done) {}
    };
}
