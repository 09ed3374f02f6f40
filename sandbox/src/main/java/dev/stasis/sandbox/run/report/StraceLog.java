package dev.stasis.sandbox.run.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the last-resort recorder wrote ({@code strace -f -ttt -o}: "PID SECONDS.MICROS call(args) = result")
 * into the dynamic report's execs, connections and files written. Calls split by another
 * thread ("&lt;unfinished ...&gt;" / "&lt;... call resumed&gt;") are joined first.
 */
public final class StraceLog {
    private static final Pattern LINE = Pattern.compile("^(\\d+)\\s+(\\d+\\.\\d+)\\s+(.*)$");
    private static final Pattern EXECVE = Pattern.compile("^execve\\(\"((?:[^\"\\\\]|\\\\.)*)\", \\[(.*?)\\](?:, .*)?\\) = 0");
    private static final Pattern CONNECT = Pattern.compile(
            "^connect\\(\\d+, \\{sa_family=AF_INET6?, sin6?_port=htons\\((\\d+)\\),.*?inet_(?:addr|pton)\\((?:AF_INET6?, )?\"([^\"]+)\".*?\\) = (-?\\d+)( [A-Z]+)?");
    private static final Pattern OPEN = Pattern.compile("^(?:open|openat|creat)\\((?:AT_FDCWD|\\d+)?,? ?\"((?:[^\"\\\\]|\\\\.)*)\", ([A-Z_|]+).*\\) = (\\d+)");

    private StraceLog() {}

    public static DynamicReport.Activity read(Path file) {
        List<DynamicReport.Exec> execs = new ArrayList<>();
        List<DynamicReport.Connection> conns = new ArrayList<>();
        List<DynamicReport.FileWrite> writes = new ArrayList<>();
        Map<String, String> unfinished = new HashMap<>();
        long lines = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String l; (l = r.readLine()) != null; ) {
                lines++;
                Matcher m = LINE.matcher(l);
                if (!m.matches()) continue;
                String pid = m.group(1);
                double ts = Double.parseDouble(m.group(2));
                String call = m.group(3);
                if (call.endsWith("<unfinished ...>")) {
                    unfinished.put(pid, call.substring(0, call.length() - "<unfinished ...>".length()).stripTrailing());
                    continue;
                }
                if (call.startsWith("<... ")) {
                    String start = unfinished.remove(pid);
                    int close = call.indexOf("resumed>");
                    if (start == null || close < 0) continue;
                    call = start + call.substring(close + "resumed>".length());
                }
                Matcher c;
                if ((c = EXECVE.matcher(call)).find()) {
                    List<String> argv = new ArrayList<>();
                    Matcher a = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(c.group(2));
                    while (a.find()) argv.add(unescape(a.group(1)));
                    execs.add(new DynamicReport.Exec(Long.parseLong(pid), ts, unescape(c.group(1)), argv));
                } else if ((c = CONNECT.matcher(call)).find()) {
                    String result = c.group(3).equals("0") ? "ok" : c.group(4) == null ? c.group(3) : c.group(4).strip();
                    conns.add(new DynamicReport.Connection(Long.parseLong(pid), ts, c.group(2), Integer.parseInt(c.group(1)), result));
                } else if ((c = OPEN.matcher(call)).find()) {
                    String flags = c.group(2);
                    if (flags.contains("O_WRONLY") || flags.contains("O_RDWR") || flags.contains("O_CREAT") || call.startsWith("creat(")) {
                        writes.add(new DynamicReport.FileWrite(Long.parseLong(pid), ts, unescape(c.group(1)), flags));
                    }
                }
            }
        } catch (IOException e) {
            // no recording: an empty activity
        }
        return new DynamicReport.Activity(lines, execs, conns, writes);
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\\\", "\\").replace("\\n", "\n").replace("\\t", "\t");
    }
}
