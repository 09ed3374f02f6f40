package dev.stasis.response.policy;

import dev.stasis.response.alert.Alert;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A response policy: rules checked in order; the first rule that matches
 * decides the actions (later rules are not consulted), so a specific rule is
 * written before a general one.
 *
 * @param cooldown how long after acting on a container further alerts for it are deduplicated
 * @param dryRun   decide and record, but perform no action
 * @param rules    the rules, in order
 */
public record Policy(Duration cooldown, boolean dryRun, List<PolicyRule> rules) {
    public Optional<PolicyRule> firstMatch(Alert alert) {
        return rules.stream().filter(r -> r.match().test(alert)).findFirst();
    }
}
