package dev.stasis.cli.capture;

import dev.stasis.capture.report.StreamFollower;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stasis capture follow FILE (--fd PID:FD | --tuple T)}: the data of one
 * stream, both directions marked, like Stratoshark's Follow FD stream.
 */
@Command(name = "follow", mixinStandardHelpOptions = true,
        description = "Reassemble the data of one fd stream (reads and writes, both directions marked).")
public final class CaptureFollowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "capture (.scap, plain or gzip)")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--fd", paramLabel = "PID:FD", description = "fd FD of process PID")
        String fd;

        @Option(names = "--tuple", paramLabel = "SIP:SPORT->DIP:DPORT",
                description = "the connection with this fd.name (either direction)")
        String tuple;
    }

    @Option(names = "--format", defaultValue = "text", converter = CaptureInput.TextOrJson.class,
            description = "text (printable data, non-printables as '.') or json (base64 chunks)")
    OutputFormat format;

    @Option(names = "--raw", description = "write the bytes exactly, without direction markers (text format only)")
    boolean raw;

    @Override
    public Integer call() throws Exception {
        StreamFollower f;
        if (target.fd != null) {
            String[] p = target.fd.split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("--fd wants PID:FD, e.g. 1234:3");
            }
            try {
                f = StreamFollower.byFd(Long.parseLong(p[0].trim()), Long.parseLong(p[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--fd wants PID:FD with numbers, got '" + target.fd + "'");
            }
        } else {
            f = StreamFollower.byTuple(target.tuple);
        }
        CaptureInput.forEach(file, null, f::add);
        List<StreamFollower.Chunk> chunks = f.chunks();
        if (format == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stream", f.description());
            List<Map<String, Object>> list = new ArrayList<>();
            for (StreamFollower.Chunk c : chunks) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("evt.num", c.num());
                cm.put("ts", c.ts());
                cm.put("direction", c.in() ? "in" : "out");
                cm.put("size", c.size());
                cm.put("captured", c.data().length);
                cm.put("data", java.util.Base64.getEncoder().encodeToString(c.data()));
                list.add(cm);
            }
            m.put("chunks", list);
            Json.print(m);
            return 0;
        }
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("no data on " + (target.fd != null ? "fd " + target.fd : target.tuple)
                    + " in this capture");
        }
        PrintStream out = System.out;
        if (raw) {
            for (StreamFollower.Chunk c : chunks) {
                out.write(c.data());
            }
            out.flush();
            return 0;
        }
        out.println("Follow " + f.description());
        long in = 0, outBytes = 0;
        for (StreamFollower.Chunk c : chunks) {
            out.println((c.in() ? "<<< in " : ">>> out ") + c.size() + " bytes (evt " + c.num() + ", "
                    + CaptureInput.time(c.ts()).substring(11) + ")" + (c.data().length < c.size()
                            ? ", " + c.data().length + " captured" : ""));
            out.println(printable(c.data()));
            if (c.in()) {
                in += c.size();
            } else {
                outBytes += c.size();
            }
        }
        out.println("=== " + chunks.size() + " chunks, " + outBytes + " bytes out, " + in + " bytes in");
        return 0;
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        for (byte x : b) {
            int c = x & 0xFF;
            sb.append(c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f) ? (char) c : '.');
        }
        return new String(sb.toString().getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
    }
}
