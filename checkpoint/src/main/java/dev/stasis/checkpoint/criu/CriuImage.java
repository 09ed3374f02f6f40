package dev.stasis.checkpoint.criu;

import java.util.List;

/** A whole decoded CRIU image: its kind and its entries in file order. */
public record CriuImage(ImageType type, List<ImageEntry> entries) {
    public CriuImage {
        entries = List.copyOf(entries);
    }

    /** The first entry's message, cast; most images hold exactly one (core, mm, ids, fs, inventory). */
    public <T extends com.google.protobuf.Message> T first(Class<T> type) {
        if (entries.isEmpty()) throw new ImageFormatException(this.type.critName() + " image has no entries");
        var m = entries.getFirst().message();
        if (!type.isInstance(m)) {
            throw new ImageFormatException(this.type.critName() + " image holds " + m.getDescriptorForType().getName()
                    + ", not " + type.getSimpleName());
        }
        return type.cast(m);
    }
}
