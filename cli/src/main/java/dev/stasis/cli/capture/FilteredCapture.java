package dev.stasis.cli.capture;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * What the reading {@code stasis capture} commands take: the capture, then a sysdig/Falco filter
 * in as many words as the shell split it into ({@code @Mixin FilteredCapture input;}). One class,
 * because picocli checks a mixin's positional indexes on their own: FILTER needs its FILE.
 * Commands without a filter use {@link CaptureFile}.
 */
public final class FilteredCapture {
    @Parameters(index = "0", paramLabel = "FILE", description = "capture (.scap, plain or gzip)")
    private Path path;

    @Parameters(index = "1..*", paramLabel = "FILTER",
            description = "only events matching this sysdig/Falco filter, e.g. evt.type=execve and proc.name=bash")
    private List<String> filter;

    /** The capture's path, as the user's directory resolves it. */
    public Path path() {
        return path;
    }

    /** The filter's words, or null when none was given. */
    public List<String> filter() {
        return filter;
    }
}
