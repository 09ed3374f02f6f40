package dev.stasis.analysis.yara;

import dev.stasis.analysis.AnalysisException;
import dev.stasis.analysis.detect.Text;
import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.MemoryView;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs YARA rules over process memory and the files the container wrote, with
 * the {@code yara} command (Debian package "yara"). YARA needs files, so each
 * process's memory and each dropped file is written to a private temporary
 * directory (mode 0700) that is deleted afterwards; offsets YARA reports in a
 * memory dump are mapped back to virtual addresses. Findings are
 * {@code STASIS-YARA-<rule>}, severity from the rule's {@code severity} meta
 * (default high).
 */
public final class YaraScanner {
    /** A scan longer than this is cut off (yara's own timeout). */
    static final int TIMEOUT_SECONDS = 300;
    private static final Pattern RULE_LINE = Pattern.compile("^(\\S+)\\s+(?:\\[(.*)\\]\\s+)?(/.*)$");
    private static final Pattern STRING_LINE = Pattern.compile("^0x([0-9a-fA-F]+):(\\$\\S*):\\s?(.*)$");
    private static final Pattern META = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|[^,]*)");

    private final Path yara;

    private YaraScanner(Path yara) {
        this.yara = yara;
    }

    /** The scanner, or empty when no yara binary is on the PATH (the caller prints a notice). */
    public static Optional<YaraScanner> find() {
        String path = System.getenv("PATH");
        if (path == null) path = "/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "yara");
            if (Files.isExecutable(p)) return Optional.of(new YaraScanner(p));
        }
        return Optional.empty();
    }

    public static String notInstalledNotice() {
        return "YARA rules were given but the 'yara' command is not installed (Debian/Ubuntu: apt-get install yara); YARA scanning skipped";
    }

    public List<Finding> scan(List<Path> ruleFiles, Subject subject) {
        List<Path> rules = expand(ruleFiles);
        if (rules.isEmpty()) return List.of();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("stasis-yara-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Map<String, Target> targets = new HashMap<>();
            for (Proc p : subject.processes()) {
                if (!p.alive()) continue;
                Path f = dir.resolve("memory-" + p.pid() + ".bin");
                List<MemoryView.Segment> segs;
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
                    segs = subject.memory().dump(p.pid(), out);
                }
                if (segs.isEmpty()) Files.delete(f);
                else targets.put(f.toString(), new Target(p.pid(), null, segs));
            }
            int n = 0;
            List<DiffFile> files = new ArrayList<>(subject.rootfsDiff());
            files.addAll(subject.recovered());
            for (DiffFile df : files) {
                if (!df.isRegular() || df.head().length == 0) continue;
                Path f = dir.resolve("file-" + (n++) + ".bin");
                Files.write(f, df.head());
                targets.put(f.toString(), new Target(null, df, null));
            }
            if (targets.isEmpty()) return List.of();
            List<String> cmd = new ArrayList<>(List.of(yara.toString(), "-s", "-m", "-w", "-r", "-a", String.valueOf(TIMEOUT_SECONDS)));
            for (Path r : rules) cmd.add(r.toString());
            cmd.add(dir.toString());
            return parse(run(cmd), targets);
        } catch (IOException e) {
            throw new AnalysisException("YARA scan failed: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private record Target(Integer pid, DiffFile file, List<MemoryView.Segment> segments) {}

    private String run(List<String> cmd) throws IOException {
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        proc.getOutputStream().close();
        byte[] out = proc.getInputStream().readAllBytes();
        try {
            if (!proc.waitFor(TIMEOUT_SECONDS + 30L, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new AnalysisException("yara did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proc.destroyForcibly();
            throw new AnalysisException("interrupted while yara ran");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (proc.exitValue() != 0) {
            String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit code " + proc.exitValue());
            throw new AnalysisException("yara failed: " + first);
        }
        return text;
    }

    static List<Finding> parseForTest(String output, Map<String, Integer> pidByPath) {
        Map<String, Target> t = new HashMap<>();
        pidByPath.forEach((k, v) -> t.put(k, new Target(v, null, List.of(new MemoryView.Segment(0, 0x1000, Long.MAX_VALUE / 2)))));
        return parse(output, t);
    }

    private static List<Finding> parse(String output, Map<String, Target> targets) {
        Map<String, Finding.Builder> byRule = new LinkedHashMap<>();
        Map<String, Integer> evidenceCount = new HashMap<>();
        String rule = null;
        Target target = null;
        for (String line : output.split("\n")) {
            Matcher m = RULE_LINE.matcher(line);
            if (!line.startsWith("0x") && m.matches()) {
                rule = m.group(1);
                target = targets.get(m.group(3));
                Map<String, String> meta = meta(m.group(2));
                Severity sev = Severity.HIGH;
                try {
                    if (meta.containsKey("severity")) sev = Severity.parse(meta.get("severity"));
                } catch (IllegalArgumentException ignored) {
                    // an unknown severity in third-party rules: keep the default
                }
                String title = "YARA rule " + rule + " matched" + (meta.containsKey("description") ? ": " + meta.get("description") : "");
                Severity s = sev;
                byRule.computeIfAbsent(rule, r -> Finding.builder("STASIS-YARA-" + r, title).severity(s).confidence(Confidence.MEDIUM)
                        .source("yara").why("Content in the checkpoint matches a YARA rule you supplied."));
                if (target != null) {
                    Finding.Builder b = byRule.get(rule);
                    if (target.file != null) b.evidence(Evidence.file(target.file.path(), "matched " + rule, target.file.sha256()));
                    else b.evidence(new Evidence("memory", target.pid, null, null, null, null, "process memory matched " + rule, null));
                }
                continue;
            }
            Matcher s = STRING_LINE.matcher(line);
            if (s.matches() && rule != null && target != null) {
                int count = evidenceCount.merge(rule, 1, Integer::sum);
                if (count > 20) continue;
                long offset = Long.parseUnsignedLong(s.group(1), 16);
                String data = Text.excerpt(s.group(3), 160);
                if (target.file != null) {
                    byRule.get(rule).evidence(new Evidence("file", null, null, null, "offset 0x" + Long.toHexString(offset), target.file.path(),
                            s.group(2) + " " + data, null));
                } else {
                    long addr = MemoryView.addressOf(target.segments, offset);
                    byRule.get(rule).evidence(addr >= 0 ? Evidence.memory(target.pid, addr, s.group(2) + " " + data)
                            : new Evidence("memory", target.pid, null, null, null, null, s.group(2) + " " + data, null));
                }
            }
        }
        return byRule.values().stream().map(Finding.Builder::build).toList();
    }

    static Map<String, String> meta(String s) {
        Map<String, String> out = new HashMap<>();
        if (s == null) return out;
        Matcher m = META.matcher(s);
        while (m.find()) {
            String v = m.group(2);
            if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
            out.put(m.group(1), v);
        }
        return out;
    }

    private static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".yar") || f.toString().endsWith(".yara")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new AnalysisException("cannot list " + p + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new AnalysisException("YARA rule file not found: " + p);
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort; the directory is private to this user
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
