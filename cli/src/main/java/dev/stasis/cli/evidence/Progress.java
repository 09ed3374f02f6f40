package dev.stasis.cli.evidence;

import dev.stasis.cli.support.Terminal;
import dev.stasis.evidence.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr for long stores and reads, only when a person is watching a terminal. */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar for {@code total} bytes when stderr is a terminal and the job is big enough to wait on (64 MiB), else nothing. */
    static Progress of(String task, long total, boolean quiet) {
        if (quiet || !Terminal.interactive() || total < (64L << 20)) return new Progress(null);
        ProgressBar b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" MiB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new dev.stasis.cli.support.ErasingProgressConsumer(System.err)).build();
        return new Progress(b);
    }

    ProgressListener listener() {
        if (bar == null) return ProgressListener.NONE;
        return (done, total) -> bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
