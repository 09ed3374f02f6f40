package dev.stasis.sandbox.image;

/** Told how far the layer is: bytes of archive members copied so far, out of their total. */
@FunctionalInterface
public interface ImageProgress {
    ImageProgress NONE = (done, total) -> {};

    void progress(long done, long total);
}
