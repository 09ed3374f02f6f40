package dev.stasis.cli.capture;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.capture.report.StreamFollower;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stasis capture follow FILE (--fd PID:FD [--lifetime N|all] | --tuple T)}: the data of one
 * stream, both directions marked, like Stratoshark's Follow FD stream. An fd number names one
 * stream only between its open and its close: --fd follows one lifetime of it.
 */
@Command(name = "follow", mixinStandardHelpOptions = true,
        description = {"Reassemble the data of one fd stream (reads and writes, both directions marked).",
                "An fd number is reused once closed: --fd follows one lifetime of it (the first that moved data, or",
                "--lifetime N), and says how many there were; --lifetime all follows each in turn."})
public final class CaptureFollowCommand implements Callable<Integer> {
    @Mixin CaptureFile file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--fd", paramLabel = "PID:FD", description = "fd FD of process PID")
        String fd;

        @Option(names = "--tuple", paramLabel = "SIP:SPORT->DIP:DPORT",
                description = "the connection with this fd.name (either direction)")
        String tuple;
    }

    @Mixin FormatOption format = FormatOption.of("text (printable data, non-printables as '.') or json (base64 chunks)", OutputFormat.TEXT, OutputFormat.JSON);

    @Option(names = "--raw", description = "write the bytes exactly, without direction markers (text format only)")
    boolean raw;

    @Option(names = "--lifetime", paramLabel = "N|all", defaultValue = "1",
            description = "with --fd: which lifetime of the fd, counted from 1 in capture order, or all (default: ${DEFAULT-VALUE})")
    String lifetime;

    /** One followed stream: the lifetime's number (1-based) and its follower. */
    private record Followed(int lifetime, StreamFollower follower) {}

    @Override
    public Integer call() throws Exception {
        boolean json = format.json(); // an unknown --format fails before any work
        List<Followed> followed = new ArrayList<>();
        int lifetimes = 1;
        boolean all = lifetime.trim().equalsIgnoreCase("all");
        if (target.fd != null) {
            String[] p = target.fd.split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("--fd wants PID:FD, e.g. 1234:3");
            }
            FdLifetimes fl;
            try {
                fl = new FdLifetimes(Long.parseLong(p[0].trim()), Long.parseLong(p[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--fd wants PID:FD with numbers, got '" + target.fd + "'");
            }
            int wanted = all ? 0 : lifetimeNumber();
            CaptureInput.forEach(file.path(), null, fl::add);
            List<StreamFollower> found = fl.lifetimes();
            lifetimes = found.size();
            if (found.isEmpty()) {
                if (!json) throw new IllegalArgumentException("no data on fd " + target.fd + " in this capture");
            } else if (all) {
                for (int i = 0; i < found.size(); i++) followed.add(new Followed(i + 1, found.get(i)));
            } else if (wanted > found.size()) {
                throw new IllegalArgumentException("fd " + target.fd + " had " + found.size() + " lifetime(s) with data in this capture;"
                        + " --lifetime " + wanted + " is not one of them");
            } else {
                followed.add(new Followed(wanted, found.get(wanted - 1)));
            }
        } else {
            if (!lifetime.trim().equals("1")) throw new IllegalArgumentException("--lifetime goes with --fd (a --tuple names one connection)");
            StreamFollower f = StreamFollower.byTuple(target.tuple);
            CaptureInput.forEach(file.path(), null, f::add);
            if (f.chunks().isEmpty() && !json) {
                throw new IllegalArgumentException("no data on " + target.tuple + " in this capture");
            }
            followed.add(new Followed(1, f));
        }
        if (json) {
            Map<String, Object> m = Json.document("capture-follow", 1);
            m.put("stream", followed.isEmpty() ? null : followed.getFirst().follower().description());
            if (target.fd != null) {
                m.put("lifetime", all ? "all" : lifetime.trim());
                m.put("lifetimes", lifetimes);
            }
            List<Map<String, Object>> list = new ArrayList<>();
            List<Map<String, Object>> streams = new ArrayList<>();
            for (Followed fw : followed) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("lifetime", fw.lifetime());
                sm.put("stream", fw.follower().description());
                sm.put("chunks", fw.follower().chunks().size());
                streams.add(sm);
                for (StreamFollower.Chunk c : fw.follower().chunks()) {
                    Map<String, Object> cm = new LinkedHashMap<>();
                    cm.put("evt.num", c.num());
                    cm.put("ts", c.ts());
                    if (all) cm.put("lifetime", fw.lifetime());
                    cm.put("direction", c.in() ? "in" : "out");
                    cm.put("size", c.size());
                    cm.put("captured", c.data().length);
                    cm.put("data", java.util.Base64.getEncoder().encodeToString(c.data()));
                    list.add(cm);
                }
            }
            if (all) m.put("streams", streams);
            m.put("chunks", list);
            Json.print(m);
            return 0;
        }
        PrintStream out = System.out;
        if (raw) {
            for (Followed fw : followed) {
                for (StreamFollower.Chunk c : fw.follower().chunks()) {
                    out.write(c.data());
                }
            }
            out.flush();
            return 0;
        }
        for (Followed fw : followed) {
            String which = target.fd == null ? "" : lifetimes == 1 ? " (its only lifetime in this capture)"
                    : " (lifetime " + fw.lifetime() + " of " + lifetimes + (all ? ")" : "; --lifetime N for another, --lifetime all for each)");
            out.println("Follow " + fw.follower().description() + which);
            long in = 0, outBytes = 0;
            List<StreamFollower.Chunk> chunks = fw.follower().chunks();
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
        }
        return 0;
    }

    private int lifetimeNumber() {
        try {
            int n = Integer.parseInt(lifetime.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException("--lifetime wants a number from 1 or 'all', got '" + lifetime + "'");
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
