package dev.stasis.cli.checkpoint.crit;

import dev.stasis.checkpoint.criu.CritShow;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis crit show}: human-readable JSON (crit show). */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a CRIU image as indented JSON with hex addresses, IP addresses and flag names (crit show).")
public final class CritShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "image file, '-' or ARCHIVE:checkpoint/NAME.img")
    String in;

    @Option(names = "--nopl", description = "do not show entry payloads, only their size")
    boolean noPayload;

    @Override
    public Integer call() throws Exception {
        String text = CritShow.show(ImageInput.read(in), noPayload);
        System.out.write((text + "\n").getBytes(StandardCharsets.US_ASCII));
        System.out.flush();
        return 0;
    }
}
