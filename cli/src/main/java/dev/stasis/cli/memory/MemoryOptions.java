package dev.stasis.cli.memory;

import dev.stasis.cli.support.Terminal;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MemorySource;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shared plumbing of the memory commands: opening a checkpoint, parsing addresses and formats, progress. */
final class MemoryOptions {
    private MemoryOptions() {}

    /** An open checkpoint's memory; closing it closes the archive. */
    record Opened(MemorySource source, CheckpointMemory memory) implements AutoCloseable {
        @Override
        public void close() throws java.io.IOException {
            source.close();
        }
    }

    static Opened open(Path archive) {
        ArchiveMemorySource src = ArchiveMemorySource.open(archive);
        try {
            CheckpointMemory memory = CheckpointMemory.load(src);
            for (String w : memory.warnings()) System.err.println("stasis: warning: " + w);
            return new Opened(src, memory);
        } catch (RuntimeException e) {
            src.close();
            throw e;
        }
    }

    /** "0x7f00", "7f00" (hex) or a decimal with a "#" prefix or plain digits only when no hex letter... hex is the analyst's norm. */
    static long address(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            if (t.startsWith("0x")) return Long.parseUnsignedLong(t.substring(2), 16);
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address: '" + s + "' (hex, e.g. 0x7ffd1234)");
        }
    }

    /** A byte count: decimal, 0x hex, or with a k/m/g suffix. */
    static long size(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("k")) mult = 1L << 10;
        else if (t.endsWith("m")) mult = 1L << 20;
        else if (t.endsWith("g")) mult = 1L << 30;
        if (mult != 1) t = t.substring(0, t.length() - 1);
        try {
            long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0) throw new NumberFormatException();
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (bytes, e.g. 4096, 0x1000 or 4k)");
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A byte-count progress bar on stderr when a person watches a terminal and the job is big (64 MiB), else null. */
    static ProgressBar progress(String task, long total) {
        if (!Terminal.interactive() || total < (64L << 20)) return null;
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" MiB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new dev.stasis.cli.support.ErasingProgressConsumer(System.err)).build();
    }
}
