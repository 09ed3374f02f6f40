package dev.stasis.cli.support;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;

/**
 * A progress bar's line that is erased when the bar closes, instead of being left above
 * what the command prints next (the library ends a bar with a newline). Used only where a
 * bar is shown at all: on an interactive terminal, which understands the erase sequence.
 */
public final class ErasingProgressConsumer extends ConsoleProgressBarConsumer {
    private final PrintStream stream;

    public ErasingProgressConsumer(PrintStream stream) {
        super(stream);
        this.stream = stream;
    }

    @Override
    public void close() {
        stream.print("\r\u001b[2K"); // carriage return, erase the whole line (ECMA-48 EL 2)
        stream.flush();
    }
}
