package dev.stasis.cli.response;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.cli.support.Json;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.response.alert.Target;
import dev.stasis.response.engine.Decision;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.policy.ActionSpec;
import dev.stasis.response.policy.Policy;
import dev.stasis.response.policy.PolicyLoader;
import dev.stasis.response.policy.PolicyRule;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Check response policies and test them against alerts. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Check response policies and test them against alerts.",
        subcommands = {PolicyCommand.Check.class, PolicyCommand.Test.class})
public final class PolicyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give a subcommand: check FILE, or test FILE --alert ALERT.json");
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a policy file; prints its rules, or the first error with its place.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the policy YAML")
        Path file;

        @Mixin FormatOption format = FormatOption.of("text or json (default: text)", OutputFormat.TEXT, OutputFormat.JSON);

        @Override
        public Integer call() {
            Policy p = PolicyLoader.load(file);
            if (format.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("file", file.toString());
                out.put("valid", true);
                out.put("cooldownSeconds", p.cooldown().toSeconds());
                out.put("dryRun", p.dryRun());
                List<Map<String, Object>> rules = new ArrayList<>();
                for (PolicyRule r : p.rules()) rules.add(Map.of("name", r.name(), "actions", r.actions().stream().map(a -> a.type().key()).toList()));
                out.put("rules", rules);
                Json.print(out);
                return 0;
            }
            System.out.println(file + ": valid, " + p.rules().size() + " rule(s), cool-down " + p.cooldown().toSeconds() + "s"
                    + (p.dryRun() ? ", DRY-RUN" : ""));
            for (PolicyRule r : p.rules())
                System.out.println("  " + r.name() + ": " + String.join(" -> ", r.actions().stream().map(a -> a.type().key()).toList()));
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Show which rule an alert matches and which actions would run (nothing is run).")
    static final class Test implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the policy YAML")
        Path file;

        @Option(names = "--alert", required = true, paramLabel = "ALERT.json", description = "a Falco, Falcosidekick or Argo Events alert (- for stdin)")
        String alert;

        @Mixin FormatOption format = FormatOption.of("text or json (default: text)", OutputFormat.TEXT, OutputFormat.JSON);

        @Override
        public Integer call() throws Exception {
            Policy p = PolicyLoader.load(file);
            byte[] body;
            try {
                body = alert.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(dev.stasis.cli.support.Invocation.current().resolve(alert));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no such alert file: " + alert);
            }
            Alert a = AlertParser.parse(body);
            Decision d = ResponseEngine.decide(p, a);
            Target t = Target.of(a);
            if (format.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("rule", a.rule());
                out.put("priority", a.priority().falcoName());
                out.put("envelope", a.envelope().name().toLowerCase());
                out.put("target", t.toString());
                out.put("cooldownKey", t.key());
                out.put("matched", d.rule() == null ? null : d.rule().name());
                out.put("dryRun", d.dryRun());
                List<Map<String, Object>> acts = new ArrayList<>();
                for (ActionSpec s : d.actions()) acts.add(Map.of("action", s.type().key(), "options", s.options()));
                out.put("actions", acts);
                Json.print(out);
                return 0;
            }
            System.out.println("alert: " + a.rule() + " (" + a.priority().falcoName() + ", " + a.source() + ") on " + t
                    + "  [" + a.envelope().name().toLowerCase() + "]");
            if (d.rule() == null) {
                System.out.println("no rule matches: no action");
                return 0;
            }
            System.out.println("matches rule '" + d.rule().name() + "'" + (d.dryRun() ? " (policy is DRY-RUN: nothing would run)" : "") + "; actions in order:");
            int i = 1;
            for (ActionSpec s : d.actions()) System.out.println("  " + i++ + ". " + s.type().key() + (s.options().isEmpty() ? "" : " " + s.options()));
            System.out.println("cool-down: one response per " + t.key() + " every " + p.cooldown().toSeconds() + "s");
            return 0;
        }
    }
}
