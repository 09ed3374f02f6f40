package dev.stasis.cli.capture;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.capture.falco.Alert;
import dev.stasis.capture.falco.KnownEvents;
import dev.stasis.capture.falco.RuleEngine;
import dev.stasis.capture.falco.RuleSet;
import dev.stasis.capture.falco.RulesLoader;
import dev.stasis.capture.falco.SkippedRule;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import dev.stasis.vocabulary.Priority;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stasis capture rules FILE --rules RULES.yaml...}: replays Falco rules
 * on a capture and prints the alerts Falco would have raised, in Falco's JSON
 * alert format ({@code --format json}, one object per line, the shape the
 * response engine ingests) or Falco's text lines. Rules that cannot run are
 * listed on stderr with their reason; none is dropped silently.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Replay Falco rules on a capture and print the alerts Falco would raise.")
public final class CaptureRulesCommand implements Callable<Integer> {
    @Mixin CaptureFile capture;

    @Option(names = {"-r", "--rules"}, required = true, arity = "1..*", paramLabel = "RULES.yaml",
            description = "Falco rules files, loaded in order (later files change earlier items)")
    List<Path> rules;

    @Mixin FormatOption format = FormatOption.of("text (Falco's text lines) or json (Falco's json_output, one alert per line)", OutputFormat.TEXT, OutputFormat.JSON);

    @Option(names = "--min-priority", defaultValue = "debug", paramLabel = "PRIORITY",
            description = "run only rules at or above this priority (emergency ... debug)")
    String minPriority;

    @Option(names = "--all-matches", description = "raise an alert for every matching rule, not just the first (Falco's rule_matching: all)")
    boolean allMatches;

    @Option(names = "--hostname", description = "hostname for the alerts (default: the capture's machine)")
    String hostname;

    @Option(names = "--summary", description = "print the loaded and skipped rules and per-rule alert counts instead of the alerts")
    boolean summary;

    @Override
    public Integer call() throws Exception {
        boolean json = format.json(); // an unknown --format fails before any work
        Priority min = Priority.parse(minPriority)
                .orElseThrow(() -> new IllegalArgumentException("unknown priority '" + minPriority + "'"));
        RulesLoader loader = KnownEvents.loader();
        for (Path r : rules) loader.add(r);
        RuleSet set = loader.compile();
        PrintStream err = System.err;
        for (String w : set.warnings()) err.println("stasis: notice: " + w);
        for (SkippedRule s : set.skipped()) err.println("stasis: skipped rule '" + s.name() + "': " + s.reason());
        err.println("stasis: " + set.rules().size() + (set.rules().size() == 1 ? " rule" : " rules") + " loaded, " + set.skipped().size() + " skipped");
        RuleEngine engine = new RuleEngine(set, min, allMatches, hostname, ZoneId.systemDefault());
        PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8);
        com.fasterxml.jackson.databind.ObjectWriter line = Json.mapper().writer()
                .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        long[] events = {0};
        long[] alerts = {0};
        // A rule whose output names fields stasis lacks prints them as <NA>: say so once, when it first fires.
        Map<String, List<String>> lacking = new LinkedHashMap<>();
        for (var r : set.rules()) if (!r.unsupportedOutputFields().isEmpty()) lacking.put(r.name(), r.unsupportedOutputFields());
        List<String> notices = new ArrayList<>(set.warnings());
        ScapEventView[] view = {null}; // the reader refills one Event: one view serves the whole capture
        try (CaptureReader reader = CaptureInput.open(capture.path())) {
            reader.forEachVisible(e -> {
                events[0]++;
                for (Alert a : engine.evaluate(view[0] = ScapEventView.of(view[0], e))) {
                    alerts[0]++;
                    List<String> missing = lacking.remove(a.rule());
                    if (missing != null) {
                        String note = "rule '" + a.rule() + "': output fields not supported, printed as <NA>: " + String.join(", ", missing);
                        notices.add(note);
                        if (!(summary && json)) { // the JSON summary lists it under "notices"
                            out.flush(); // the alerts before it stay before it
                            err.println("stasis: notice: " + note);
                        }
                    }
                    if (summary) continue;
                    if (json) {
                        try {
                            out.println(line.writeValueAsString(a.toJson()));
                        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                            throw new IllegalStateException(ex);
                        }
                    } else {
                        out.println(a.output());
                    }
                }
            });
        }
        out.flush();
        if (summary) printSummary(set, engine, events[0], alerts[0], notices);
        else err.println("stasis: " + events[0] + " events, " + alerts[0] + " alerts");
        return 0;
    }

    private void printSummary(RuleSet set, RuleEngine engine, long events, long alerts, List<String> notices) {
        if (format.json()) {
            Map<String, Object> m = Json.document("capture-rules-summary", 1);
            m.put("events", events);
            m.put("alerts", alerts);
            m.put("alerts_by_rule", engine.counts());
            List<Map<String, String>> skipped = new ArrayList<>();
            for (SkippedRule s : set.skipped()) skipped.add(Map.of("rule", s.name(), "reason", s.reason()));
            m.put("skipped", skipped);
            m.put("notices", notices);
            Json.print(m);
            return;
        }
        System.out.println(events + " events, " + alerts + " alerts");
        engine.counts().forEach((rule, n) -> System.out.printf("%8d  %s%n", n, rule));
        for (SkippedRule s : set.skipped()) System.out.println("skipped   " + s.name() + ": " + s.reason());
    }
}
