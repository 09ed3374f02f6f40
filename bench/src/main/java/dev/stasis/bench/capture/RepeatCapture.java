package dev.stasis.bench.capture;

import dev.stasis.capture.RepeatedCapture;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds a large capture for benchmarks: a real capture's events written again and
 * again with its metadata once (capture's test support, shared with its large-capture
 * tests). Prints the number of events written.
 * usage: RepeatCapture IN.scap OUT.scap MIN_EVENTS
 */
public final class RepeatCapture {
    private RepeatCapture() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: RepeatCapture IN.scap OUT.scap MIN_EVENTS");
            System.exit(2);
        }
        System.out.println(RepeatedCapture.write(Path.of(args[0]), Path.of(args[1]), Long.parseLong(args[2])));
    }
}
