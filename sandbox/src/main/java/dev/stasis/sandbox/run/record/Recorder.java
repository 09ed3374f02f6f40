package dev.stasis.sandbox.run.record;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Records the system calls of the restored processes. The capture module's recorder
 * ({@code dev.stasis.capture.record.SyscallRecorder}, writing .scap) is preferred; {@link StraceRecorder}
 * (plain {@code strace -f -ttt} text) is the recorder of last resort.
 */
public interface Recorder {
    /** A running recording. */
    interface Recording extends AutoCloseable {
        /** The recorder's process id, for the cleanup manifest (-1 when it runs in this JVM). */
        long pid();

        Summary stop();

        @Override
        default void close() {
            stop();
        }
    }

    /** What a recording holds; {@code format} is "scap" or "strace". */
    record Summary(long events, int processes, Duration duration, Path output, String format) {}

    String name();

    Recording start(List<Long> pids, Path output);

    /** The file name the recording gets in the run directory. */
    String fileName();

    static Recorder best() {
        return CaptureRecorder.available() ? new CaptureRecorder() : new StraceRecorder();
    }

    static Optional<String> missing() {
        return CaptureRecorder.available() || StraceRecorder.available() ? Optional.empty() : Optional.of("strace");
    }
}
