package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.intel.Indicator;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Threat intelligence beyond live connections:
 * STASIS-INTEL-002 a listed domain, URL or address in memory, command lines or environment;
 * STASIS-INTEL-003 a file (dropped, deleted-but-open, memfd) whose SHA-256 is listed.
 */
public final class IntelContentDetector implements Detector {
    private static final Pattern HOSTLIKE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{1,252}\\.[A-Za-z]{2,63}|\\d{1,3}(?:\\.\\d{1,3}){3}");

    @Override
    public String name() {
        return "threat-intel content";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        if (context.intel().isEmpty()) return List.of();
        List<Finding> out = new ArrayList<>();
        List<Evidence> ev = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Proc p : subject.processes()) {
            String text = p.commandLine() + " " + String.join(" ", p.environ());
            Matcher m = HOSTLIKE.matcher(text);
            while (m.find()) {
                Optional<Indicator> hit = match(context, m.group());
                if (hit.isPresent() && !values.contains(hit.get().value())) {
                    values.add(hit.get().value());
                    ev.add(new Evidence("intel", p.pid(), null, null, null, null,
                            m.group() + " in command line or environment; " + hit.get().describe(), null));
                }
            }
        }
        for (var e : context.memory().distinct(MemoryScan.Kind.INTEL).entrySet()) {
            Optional<Indicator> hit = match(context, e.getKey());
            if (hit.isEmpty() || values.contains(hit.get().value() + "@" + e.getValue().pid())) continue;
            values.add(hit.get().value() + "@" + e.getValue().pid());
            ev.add(IrcC2Detector.evidence(e.getValue(), e.getKey() + "; " + hit.get().describe()));
        }
        if (!ev.isEmpty()) {
            out.add(Finding.builder("STASIS-INTEL-002", "Threat-intel indicators in process data: " + Text.excerpt(String.join(", ",
                            values.stream().map(v -> v.replaceAll("@\\d+$", "")).distinct().toList()), 120))
                    .severity(Severity.HIGH).confidence(Confidence.MEDIUM)
                    .techniques("T1071")
                    .evidence(ev)
                    .why("A process knows a host your threat intelligence lists: it was configured to reach it or has talked to it.")
                    .build());
        }
        List<DiffFile> files = new ArrayList<>(subject.rootfsDiff());
        files.addAll(subject.recovered());
        for (DiffFile f : files) {
            Optional<Indicator> hit = context.intel().matchSha256(f.sha256());
            if (hit.isEmpty()) continue;
            out.add(Finding.builder("STASIS-INTEL-003", "Known-malicious file " + f.path() + (hit.get().label() == null ? "" : " (" + hit.get().label() + ")"))
                    .severity(Severity.CRITICAL).confidence(Confidence.HIGH)
                    .techniques("T1105")
                    .evidence(Evidence.file(f.path(), f.origin() + ", " + FileTypes.describe(f.head()) + "; " + hit.get().describe(), f.sha256()))
                    .why("The file's digest is listed in your threat intelligence: it is a known malicious artifact.")
                    .build());
        }
        return out;
    }

    private static Optional<Indicator> match(DetectionContext context, String value) {
        if (value.contains("://")) return context.intel().matchUrl(value);
        Optional<Indicator> byAddress = value.matches("[\\d.]+") ? context.intel().matchAddress(value) : Optional.empty();
        return byAddress.isPresent() ? byAddress : context.intel().matchDomain(value);
    }
}
