package dev.stasis.checkpoint.container;

import dev.stasis.vocabulary.LinuxCapabilities;
import java.util.ArrayList;
import java.util.List;

/** Capability sets as CRIU stores them, by name (the names: vocabulary LinuxCapabilities). */
public final class Capabilities {
    private Capabilities() {}

    public static String name(int bit) {
        return LinuxCapabilities.name(bit);
    }

    /** CRIU stores a capability set as u32 words, lowest bits first. */
    public static List<String> names(List<Integer> words) {
        List<String> out = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            int word = words.get(w);
            for (int b = 0; b < 32; b++) {
                if ((word & (1 << b)) != 0) out.add(name(w * 32 + b));
            }
        }
        return out;
    }
}
