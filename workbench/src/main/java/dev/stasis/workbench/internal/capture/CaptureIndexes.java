package dev.stasis.workbench.internal.capture;

import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.FilterException;
import dev.stasis.capture.filter.OutputFormat;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The event views of every capture the workbench has opened, by capture, filter and columns: built
 * once (in the background, on at most two threads: the machine's other work goes on) and kept in the
 * workbench's state directory, never next to the evidence.
 */
public final class CaptureIndexes implements Closeable {
    /** The table's columns when none are chosen: sysdig's default line, split. */
    public static final List<String> DEFAULT_COLUMNS = List.of("evt.num", "evt.time", "evt.cpu", "proc.name", "thread.tid", "evt.dir", "evt.type", "evt.args");
    private static final int KEEP_OPEN = 8;

    private final Path root;
    private final ExecutorService builders = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "workbench-index");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, EventView> open = new LinkedHashMap<>(16, 0.75f, true);

    public CaptureIndexes(Path root) {
        this.root = root;
    }

    /**
     * The view of {@code capture} (the item {@code itemId}) through {@code filterText} (blank: every
     * event) with {@code columns}. A filter that does not compile or an unknown column is a
     * {@link FilterException} (with the column of a syntax error), before any work starts.
     */
    public EventView view(String itemId, Path capture, String filterText, List<String> columns) {
        Filter filter = filterText == null || filterText.isBlank() ? null : Filter.compile(filterText);
        for (String c : columns) {
            OutputFormat f = OutputFormat.compile("%" + c);
            if (!f.unknownFields().isEmpty()) throw new FilterException("unknown field in the columns: " + f.unknownFields().get(0));
        }
        String key = itemId + "\n" + (filter == null ? "" : filterText.strip()) + "\n" + String.join(",", columns);
        synchronized (open) {
            EventView v = open.get(key);
            if (v != null) return v;
            try {
                v = EventView.open(capture, root.resolve(itemId), filter == null && columns.equals(DEFAULT_COLUMNS) ? "all" : name(key), filter, columns);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (v.needsBuild()) builders.execute(v::build);
            open.put(key, v);
            if (open.size() > KEEP_OPEN) {
                var eldest = open.entrySet().iterator().next();
                eldest.getValue().close();
                open.remove(eldest.getKey());
            }
            return v;
        }
    }

    private static String name(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "v-" + HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        builders.shutdownNow();
        synchronized (open) {
            open.values().forEach(EventView::close);
            open.clear();
        }
    }
}
