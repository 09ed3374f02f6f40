package dev.stasis.capture.falco;

import java.util.List;

/**
 * What loading rules files gives: the rules that will run, the rules that will
 * not (each with its reason, never dropped silently), and notices such as a
 * required plugin stasis does not run. Output fields a rule lacks are not
 * notices here: see {@link Rule#unsupportedOutputFields()}.
 */
public record RuleSet(List<Rule> rules, List<SkippedRule> skipped, List<String> warnings) {
    public RuleSet {
        rules = List.copyOf(rules);
        skipped = List.copyOf(skipped);
        warnings = List.copyOf(warnings);
    }
}
