package dev.stasis.sandbox.run;

import java.nio.file.Path;

/** What the sinkhole says to the restored processes. */
public sealed interface Stimulus {
    /** Only listen and log. */
    record None() implements Stimulus {}

    /** Replay the IRC operator commands that analyze recovered from the checkpoint. */
    record ReplayIrc() implements Stimulus {}

    /** Send the lines of this file on every connection. */
    record Send(Path file) implements Stimulus {}
}
