package dev.stasis.capture.falco;

import java.util.List;

/**
 * What loading rules files gives: the rules that will run, the rules that will
 * not (each with its reason, never dropped silently), and notices such as an
 * ignored {@code required_plugin_versions}.
 */
public record RuleSet(List<Rule> rules, List<SkippedRule> skipped, List<String> warnings) {
    public RuleSet {
        rules = List.copyOf(rules);
        skipped = List.copyOf(skipped);
        warnings = List.copyOf(warnings);
    }
}
