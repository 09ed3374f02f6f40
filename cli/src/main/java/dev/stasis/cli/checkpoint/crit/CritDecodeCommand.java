package dev.stasis.cli.checkpoint.crit;

import dev.stasis.checkpoint.criu.CritJson;
import dev.stasis.checkpoint.criu.CriuImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stasis crit decode}: the image as JSON, byte for byte what {@code crit decode} prints. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Convert a CRIU image to JSON (crit decode).",
                "IMAGE may be '-' (standard input) or ARCHIVE:checkpoint/NAME.img."})
public final class CritDecodeCommand implements Callable<Integer> {
    @Option(names = {"-i", "--in"}, paramLabel = "IMAGE", description = "image to decode (default: standard input)")
    String in;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", description = "write the JSON here (default: standard output)")
    Path out;

    @Option(names = "--pretty", description = "indented, with field-specific formats (hex, IP addresses, flag names)")
    boolean pretty;

    @Override
    public Integer call() throws IOException {
        CriuImage image = ImageInput.read(in);
        String json = CritJson.decodeToString(image, pretty);
        if (out == null) {
            // crit ends stdout with a newline, but not a file.
            System.out.write((json + "\n").getBytes(StandardCharsets.US_ASCII));
            System.out.flush();
        } else {
            Files.writeString(out, json, StandardCharsets.US_ASCII);
        }
        return 0;
    }
}
