package dev.stasis.cli.sandbox;

import dev.stasis.cli.support.Terminal;
import dev.stasis.sandbox.image.ImageProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr while a big layer is written, only when a person watches a terminal. */
final class ImageProgressBar implements ImageProgress, AutoCloseable {
    private final boolean enabled;
    private ProgressBar bar;

    ImageProgressBar(boolean quiet) {
        this.enabled = !quiet && Terminal.interactive();
    }

    @Override
    public void progress(long done, long total) {
        if (!enabled || total < (64L << 20)) return;
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("layer").setInitialMax(total).setUnit(" MiB", 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new dev.stasis.cli.support.ErasingProgressConsumer(System.err)).build();
        }
        bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
