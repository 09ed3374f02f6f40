package dev.stasis.capture.filter;

import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Locates the project's testdata and reads captures for the filter tests. */
public final class TestData {
    private TestData() {}

    public static Path root() {
        String prop = System.getProperty("stasis.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) return Path.of(prop);
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("no testdata/ above " + Path.of("").toAbsolutePath());
        return dir;
    }

    public static Path capture(String name) {
        return root().resolve("testdata/captures").resolve(name);
    }

    public static List<Path> captures() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("testdata/captures"))) {
            return s.filter(p -> p.toString().endsWith(".scap")).sorted().toList();
        }
    }

    /** Every event sysdig prints, as a filter view (valid only inside the callback). */
    public static void forEachEvent(Path capture, Consumer<EventView> sink) throws IOException {
        try (CaptureReader r = CaptureReader.open(capture)) {
            r.forEachVisible((Event e) -> sink.accept(ScapEventView.of(e)));
        }
    }

    /** The event numbers of the events a filter selects. */
    public static List<Long> select(Path capture, Filter filter) throws IOException {
        List<Long> out = new ArrayList<>();
        forEachEvent(capture, e -> {
            if (filter.matches(e)) out.add(e.num());
        });
        return out;
    }

    /**
     * The lines {@code format} prints for the events a filter selects ({@code sysdig -r FILE -p FORMAT FILTER}),
     * without the events the format skips (a {@code -p} without {@code *} skips those missing a field).
     */
    public static List<String> printed(Path capture, Filter filter, OutputFormat format) throws IOException {
        List<String> out = new ArrayList<>();
        forEachEvent(capture, e -> {
            if (filter.matches(e)) {
                String line = format.format(e);
                if (line != null) out.add(line);
            }
        });
        return out;
    }

    public static Path golden(String name) {
        return root().resolve("capture/src/test/resources/golden-filters").resolve(name);
    }
}
