package dev.stasis.cli.analysis;

import dev.stasis.analysis.Progress;
import dev.stasis.cli.support.ErasingProgressConsumer;
import dev.stasis.cli.support.Terminal;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The analysis stages as a progress bar on stderr, only when a person is watching a terminal;
 * each stage's bar is erased when it ends, so the report starts on a clean screen.
 */
final class TerminalProgress implements Progress, AutoCloseable {
    private ProgressBar bar;

    static Progress create(boolean quiet) {
        return quiet || !Terminal.interactive() ? Progress.NONE : new TerminalProgress();
    }

    @Override
    public void stage(String name, long total) {
        close();
        bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(total, 1)).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ErasingProgressConsumer(System.err)).hideEta().build();
    }

    @Override
    public void advance(long done) {
        if (bar != null) bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    static void finish(Progress p) {
        if (p instanceof TerminalProgress t) t.close();
    }
}
