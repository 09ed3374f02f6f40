package dev.stasis.cli.capture;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The capture a {@code stasis capture} command without a filter reads, its first parameter: {@code @Mixin CaptureFile file;} (with a filter: {@link FilteredCapture}). */
public final class CaptureFile {
    @Parameters(index = "0", paramLabel = "FILE", description = "capture (.scap, plain or gzip)")
    private Path path;

    /** The capture's path, as the user's directory resolves it. */
    public Path path() {
        return path;
    }

    @Override
    public String toString() {
        return String.valueOf(path);
    }
}
