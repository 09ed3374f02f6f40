package dev.stasis.response.engine;

import dev.stasis.response.policy.ActionSpec;
import dev.stasis.response.policy.PolicyRule;
import java.util.List;

/**
 * What the policy says about one alert.
 *
 * @param rule         the matching rule, or null
 * @param deduplicated the container is in its cool-down: no action
 * @param dryRun       the policy is in dry-run: actions are listed, not run
 * @param key          the container's cool-down key
 */
public record Decision(PolicyRule rule, boolean deduplicated, boolean dryRun, String key) {
    /** Whether actions will actually run. */
    public boolean acts() {
        return rule != null && !deduplicated && !dryRun;
    }

    public List<ActionSpec> actions() {
        return rule == null ? List.of() : rule.actions();
    }

    public String outcome() {
        if (rule == null) return "no-match";
        if (deduplicated) return "deduplicated";
        if (dryRun) return "dry-run";
        return "queued";
    }
}
