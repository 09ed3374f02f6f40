package dev.stasis.cli.checkpoint.crit;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.ArchiveException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.criu.CritBatch;
import dev.stasis.checkpoint.criu.CritJson;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.cli.support.Invocation;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stasis crit decode}: an image as JSON, byte for byte what {@code crit decode} prints;
 * or, given a whole checkpoint and a directory, every image of it in one run.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Convert a CRIU image to JSON (crit decode), or every image of a checkpoint into a directory.",
                "IMAGE may be '-' (standard input) or ARCHIVE:checkpoint/NAME.img.",
                "With -i ARCHIVE (or an unpacked checkpoint directory) and -o DIR, writes DIR/NAME.img.json for every image "
                        + "of checkpoint/, each exactly what 'crit decode -i NAME.img' prints, and lists the files crit cannot "
                        + "decode (raw pages, tmpfs tars). DIR must be new or empty."},
        footer = {"", "Examples:", "  stasis crit decode -i irc-bot.tar.zst:checkpoint/pstree.img --pretty",
                "  stasis crit decode -i irc-bot.tar.zst -o /tmp/irc-bot-json"})
public final class CritDecodeCommand implements Callable<Integer> {
    @Option(names = {"-i", "--in"}, paramLabel = "IMAGE", description = "image (or whole checkpoint) to decode (default: standard input)")
    String in;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", description = "write the JSON here (default: standard output); a directory for a whole checkpoint")
    Path out;

    @Option(names = "--pretty", description = "indented, with field-specific formats (hex, IP addresses, flag names)")
    boolean pretty;

    @Mixin FormatOption format = FormatOption.of("summary of a whole-checkpoint decode: text or json (default: text)", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws IOException {
        if (in != null && isCheckpoint(Invocation.current().resolve(in))) return decodeAll(Invocation.current().resolve(in));
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

    /** A checkpoint archive (by its magic, never its name) or a directory: the whole-checkpoint mode. */
    private static boolean isCheckpoint(Path p) {
        if (Files.isDirectory(p)) return true;
        if (!Files.isRegularFile(p)) return false;
        try {
            CheckpointArchive.sniff(p);
            return true;
        } catch (ArchiveException | IOException notAnArchive) {
            return false; // a single image, decoded (or refused) as one
        }
    }

    private int decodeAll(Path archive) {
        OutputFormat fmt = format.get();
        if (out == null) {
            // the magic says only "zstd" or "gzip": a compressed capture is told apart by opening it (its error says what it is)
            if (Files.isRegularFile(archive)) {
                try (CheckpointArchive a = CheckpointArchive.open(archive)) {
                    a.path();
                }
            }
            throw new CheckpointException(in + " is a whole checkpoint: give -o DIR to decode every image into DIR, "
                    + "or -i " + in + ":checkpoint/NAME.img for one image");
        }
        List<CritBatch.Result> results = ArchiveDecode.run(archive, out, pretty);
        List<CritBatch.Decoded> written = results.stream().filter(r -> r instanceof CritBatch.Decoded).map(r -> (CritBatch.Decoded) r).toList();
        List<CritBatch.Skipped> skipped = results.stream().filter(r -> r instanceof CritBatch.Skipped).map(r -> (CritBatch.Skipped) r).toList();
        List<CritBatch.Failed> failed = results.stream().filter(r -> r instanceof CritBatch.Failed).map(r -> (CritBatch.Failed) r).toList();
        if (fmt == OutputFormat.JSON) {
            Map<String, Object> doc = Json.document("crit-decode", 1);
            doc.put("checkpoint", archive.toString());
            doc.put("out", out.toString());
            doc.put("written", written.stream().map(d -> d.name() + ".json").toList());
            doc.put("skipped", skipped.stream().map(s -> Map.of("name", s.name(), "reason", s.reason())).toList());
            doc.put("failed", failed.stream().map(f -> Map.of("name", f.name(), "error", f.message())).toList());
            Json.print(doc);
        } else {
            StringBuilder sb = new StringBuilder();
            sb.append("wrote ").append(written.size()).append(" image").append(written.size() == 1 ? "" : "s").append(" as JSON to ").append(out).append('\n');
            if (!skipped.isEmpty()) {
                sb.append("skipped ").append(skipped.size()).append(" file").append(skipped.size() == 1 ? "" : "s").append(" crit cannot decode:\n");
                int width = skipped.stream().mapToInt(s -> s.name().length()).max().orElse(0);
                for (CritBatch.Skipped s : skipped) sb.append("  ").append(String.format("%-" + width + "s", s.name())).append("  ").append(s.reason()).append('\n');
            }
            System.out.print(sb);
            System.out.flush();
        }
        for (CritBatch.Failed f : failed) System.err.println("stasis: " + f.name() + ": " + f.message());
        return failed.isEmpty() ? 0 : dev.stasis.cli.support.Errors.FAILURE;
    }
}
