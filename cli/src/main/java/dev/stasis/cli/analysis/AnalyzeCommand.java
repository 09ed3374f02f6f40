package dev.stasis.cli.analysis;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.analysis.AnalysisOptions;
import dev.stasis.analysis.Analyzer;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.render.ReportFormat;
import dev.stasis.analysis.render.TextSummary;
import dev.stasis.analysis.report.Report;
import dev.stasis.cli.support.Errors;
import dev.stasis.cli.support.Terminal;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis analyze}: findings, evidence and a report for one checkpoint. */
@Command(name = "analyze", aliases = "analyse", mixinStandardHelpOptions = true,
        description = {"Analyze a checkpoint: findings, evidence and a report.",
                "Runs the built-in detectors (process masquerade, fileless and deleted executables, reverse shells, "
                        + "IRC C2 and bot commands, mining, sensitive mounts and privileges, persistence, dropped files, "
                        + "deleted logs, secrets in the environment...), your threat intelligence, YAML rules and YARA rules.",
                "Exit codes: 0 done, 1 error, 3 with --fail-on when a finding reaches that severity."},
        footer = {"", "Examples:",
                "  stasis analyze testdata/checkpoints/irc-bot.tar.zst",
                "  stasis analyze cp.tar --intel iocs.csv --rules site-rules/ -o report.html",
                "  stasis analyze cp.tar --format json | jq '.findings[] | select(.severity==\"critical\")'",
                "  stasis analyze cp.tar -o timeline.jsonl   # Timesketch import"})
public final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "checkpoint archive (Podman, CRI-O/kubelet, containerd; zstd/gzip/plain) or directory")
    Path archive;

    // one value per occurrence: with 1..* the archive after `--rules dir` would be taken for a rules file
    @Option(names = "--intel", paramLabel = "FILE",
            description = "threat intelligence: plain list, CSV or STIX 2.1 bundle (repeatable)")
    List<Path> intel = new ArrayList<>();

    @Option(names = "--rules", paramLabel = "FILE_OR_DIR",
            description = "YAML rules (*.yaml, *.yml; see analysis/RULES.md) and YARA rules (*.yar, *.yara), files or directories (repeatable)")
    List<Path> rules = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "also write the report to FILE; the format follows the extension: .html, .json, .md, .jsonl (Timesketch timeline), .txt")
    Path output;

    @Mixin FormatOption format = FormatOption.of("what to print on stdout: text (default summary), json, md, html, timeline",
                    OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MD, OutputFormat.HTML, OutputFormat.TIMELINE)
            .alias("txt", OutputFormat.TEXT).alias("markdown", OutputFormat.MD)
            .alias("jsonl", OutputFormat.TIMELINE).alias("timesketch", OutputFormat.TIMELINE);

    @Option(names = {"-v", "--verbose"}, description = "show every finding (info too) and all evidence in the text summary")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar, and no summary on stdout when -o is given")
    boolean quiet;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "exit with 3 when a finding is at least this severe (info, low, medium, high, critical): for CI and scripts")
    String failOn;

    @Override
    public Integer call() {
        ReportFormat stdout;
        Severity threshold = null;
        try {
            stdout = ReportFormat.valueOf(format.get().name());
            if (failOn != null) threshold = Severity.parse(failOn);
        } catch (IllegalArgumentException e) {
            throw new Errors.ExitCodeException(Errors.USAGE, e.getMessage());
        }
        ReportFormat fileFormat = output == null ? null : ReportFormat.forPath(output);
        Progress progress = TerminalProgress.create(quiet);
        Report report;
        try {
            report = Analyzer.analyze(archive, new AnalysisOptions(intel, rules), progress);
        } finally {
            TerminalProgress.finish(progress);
        }
        if (output != null) {
            fileFormat.writeTo(report, output);
            if (!quiet) System.err.println("report written to " + output);
        }
        if (!(quiet && output != null)) print(report, stdout);
        if (threshold != null && report.worst() != null && report.worst().atLeast(threshold)) return 3;
        return 0;
    }

    private void print(Report report, ReportFormat stdout) {
        PrintStream out = System.out;
        try {
            if (stdout == ReportFormat.TEXT) {
                out.write(TextSummary.render(report, Terminal.colour(), verbose)
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                stdout.write(report, out);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
