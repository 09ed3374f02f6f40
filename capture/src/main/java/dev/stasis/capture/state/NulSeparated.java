package dev.stasis.capture.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** NUL-separated string lists of the driver (args, env, cgroups), as libsinsp splits them. */
final class NulSeparated {
    private NulSeparated() {}

    /** sinsp's set_args: NUL-separated strings, a trailing NUL does not add an empty one. */
    static List<String> split(byte[] b, int len) {
        List<String> out = new ArrayList<>();
        int off = 0;
        while (off < len) {
            int end = off;
            while (end < len && b[end] != 0) {
                end++;
            }
            out.add(new String(b, off, end - off, StandardCharsets.UTF_8));
            off = end + 1;
        }
        return List.copyOf(out);
    }
}
