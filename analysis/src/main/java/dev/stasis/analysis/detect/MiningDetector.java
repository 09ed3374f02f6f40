package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STASIS-MINE-001: cryptocurrency mining. Looks for Stratum pool URLs, miner
 * names and Monero-like wallet addresses in process names and command lines,
 * in memory, and in files written to the container.
 */
public final class MiningDetector implements Detector {
    @Override
    public String name() {
        return "cryptomining";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Evidence> ev = new ArrayList<>();
        Set<String> what = new LinkedHashSet<>();
        Set<Integer> seenProcesses = new LinkedHashSet<>();
        for (Proc p : subject.processes()) {
            String text = p.comm() + " " + p.commandLine() + " " + (p.exe() == null ? "" : p.exe());
            List<String> found = indicators(text);
            if (!found.isEmpty()) {
                ev.add(new Evidence("process", p.pid(), null, null, null, p.exe(),
                        "argv=" + Text.excerpt(p.commandLine().isEmpty() ? p.comm() : p.commandLine(), 200), null));
                what.addAll(found);
                seenProcesses.add(p.pid());
            }
        }
        for (MemoryScan.Kind k : List.of(MemoryScan.Kind.STRATUM, MemoryScan.Kind.WALLET, MemoryScan.Kind.MINER)) {
            int shown = 0;
            for (var e : context.memory().distinct(k).entrySet()) {
                what.add(label(k, e.getKey()));
                if (shown++ < 5) ev.add(IrcC2Detector.evidence(e.getValue(), e.getKey()));
            }
        }
        for (DiffFile f : subject.rootfsDiff()) {
            if (!f.isRegular() || f.head().length == 0 || FileTypes.isElf(f.head())) continue;
            List<String> found = indicators(new String(f.head(), StandardCharsets.ISO_8859_1));
            if (!found.isEmpty()) {
                what.addAll(found);
                ev.add(Evidence.file(f.path(), String.join(", ", found), f.sha256()));
            }
        }
        if (ev.isEmpty()) return List.of();
        boolean strong = what.stream().anyMatch(w -> w.startsWith("stratum") || w.startsWith("wallet"));
        return List.of(Finding.builder("STASIS-MINE-001", "Cryptocurrency miner: " + Text.excerpt(String.join(", ", what), 140))
                .severity(Severity.HIGH).confidence(strong ? Confidence.HIGH : Confidence.MEDIUM)
                .techniques("T1496")
                .evidence(ev)
                .why("A miner burns the cluster's CPU for the attacker's wallet; it usually arrives through another"
                        + " compromise that is still open.")
                .build());
    }

    static List<String> indicators(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = MemoryScan.STRATUM.matcher(text);
        while (m.find()) out.add(m.group());
        m = MemoryScan.WALLET.matcher(text);
        while (m.find()) out.add(label(MemoryScan.Kind.WALLET, m.group()));
        m = MemoryScan.MINER.matcher(text);
        while (m.find()) out.add(m.group().toLowerCase(java.util.Locale.ROOT));
        return out.stream().distinct().toList();
    }

    static String label(MemoryScan.Kind k, String text) {
        return k == MemoryScan.Kind.WALLET ? "wallet " + text.substring(0, 8) + "…" + text.substring(text.length() - 4) : text;
    }
}
