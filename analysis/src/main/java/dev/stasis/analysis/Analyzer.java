package dev.stasis.analysis;

import dev.stasis.analysis.detect.BuiltinDetectors;
import dev.stasis.analysis.load.CheckpointSubjects;
import dev.stasis.analysis.detect.DetectionContext;
import dev.stasis.analysis.detect.Detector;
import dev.stasis.analysis.detect.MemoryScan;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.intel.ThreatIntel;
import dev.stasis.analysis.report.Report;
import dev.stasis.analysis.report.ReportBuilder;
import dev.stasis.analysis.report.Verdict;
import dev.stasis.analysis.rules.Rule;
import dev.stasis.analysis.rules.RuleEngine;
import dev.stasis.analysis.rules.RuleLoader;
import dev.stasis.analysis.subject.Subject;
import dev.stasis.analysis.yara.YaraScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The investigation: loads a checkpoint, runs the built-in detectors, the
 * analyst's rules and YARA, and assembles the report. Intel and rule files are
 * read and validated before the (possibly long) checkpoint load, so a typo
 * fails in a second rather than after minutes.
 */
public final class Analyzer {
    public static final String TOOL = "stasis 0.1.0";

    private Analyzer() {}

    public static Report analyze(Path archive, AnalysisOptions options, Progress progress) {
        Inputs in = Inputs.load(options);
        try (CheckpointSubjects.Loaded loaded = CheckpointSubjects.load(archive, progress)) {
            // the archive's digest is computed meanwhile; only the report needs it
            return analyze(loaded.pending(), in, progress, s -> loaded.subject());
        }
    }

    /** Analysis of an already loaded subject (tests build subjects by hand). */
    public static Report analyze(Subject subject, AnalysisOptions options, Progress progress) {
        return analyze(subject, Inputs.load(options), progress, s -> s);
    }

    private static Report analyze(Subject subject, Inputs in, Progress progress, java.util.function.UnaryOperator<Subject> complete) {
        List<String> notices = new ArrayList<>();
        progress.stage("memory sweep", subject.processes().size());
        MemoryScan scan = MemoryScan.run(subject, in.intel, progress::advance);
        DetectionContext ctx = new DetectionContext(in.intel, scan);
        List<Detector> detectors = BuiltinDetectors.all();
        progress.stage("detectors", detectors.size() + (in.rules.isEmpty() ? 0 : 1) + (in.yara.isEmpty() ? 0 : 1));
        List<Finding> findings = new ArrayList<>();
        int done = 0;
        for (Detector d : detectors) {
            findings.addAll(d.detect(subject, ctx));
            progress.advance(++done);
        }
        if (!in.rules.isEmpty()) {
            findings.addAll(RuleEngine.run(in.rules, subject));
            progress.advance(++done);
        }
        if (!in.yara.isEmpty()) {
            Optional<YaraScanner> yara = YaraScanner.find();
            if (yara.isPresent()) findings.addAll(yara.get().scan(in.yara, subject));
            else notices.add(YaraScanner.notInstalledNotice());
            progress.advance(++done);
        }
        if (in.intel.isEmpty()) notices.add("no threat intelligence given (--intel): connections were judged by port and behaviour only");
        else notices.add(in.intel.indicators().size() + " threat-intel indicator(s) loaded");
        return ReportBuilder.build(complete.apply(subject), escalate(findings), notices, TOOL, Instant.now());
    }

    /**
     * Context makes some findings worse: a mounted service-account token is a
     * routine configuration, but in a container that is already compromised it
     * is a credential the intruder holds.
     */
    static List<Finding> escalate(List<Finding> findings) {
        if (Verdict.of(findings) != Verdict.COMPROMISED) return findings;
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (f.id().equals("STASIS-MOUNT-001") && f.severity().compareTo(Severity.MEDIUM) < 0) {
                out.add(f.withSeverity(Severity.MEDIUM, "Raised to medium: the container shows signs of compromise, so assume the token is in the intruder's hands."));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    /** Intel, YAML rules and YARA rule files, loaded and validated up front. */
    private record Inputs(ThreatIntel intel, List<Rule> rules, List<Path> yara) {
        static Inputs load(AnalysisOptions o) {
            List<Path> yaml = new ArrayList<>();
            List<Path> yara = new ArrayList<>();
            for (Path p : o.rules()) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.list(p)) {
                        List<Path> files = s.sorted().toList();
                        if (files.stream().anyMatch(Inputs::isYaml)) yaml.add(p);
                        if (files.stream().anyMatch(Inputs::isYara)) yara.add(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                } else if (isYara(p)) {
                    if (!Files.isRegularFile(p)) throw new AnalysisException("YARA rule file not found: " + p);
                    yara.add(p);
                } else {
                    yaml.add(p);
                }
            }
            return new Inputs(ThreatIntel.load(o.intel()), RuleLoader.load(yaml), yara);
        }

        static boolean isYaml(Path p) {
            String n = p.getFileName().toString();
            return n.endsWith(".yaml") || n.endsWith(".yml");
        }

        static boolean isYara(Path p) {
            String n = p.getFileName().toString();
            return n.endsWith(".yar") || n.endsWith(".yara");
        }
    }
}
