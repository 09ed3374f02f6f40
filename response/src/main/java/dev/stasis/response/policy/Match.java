package dev.stasis.response.policy;

import dev.stasis.response.alert.Alert;
import dev.stasis.vocabulary.Priority;
import java.util.List;

/**
 * What an alert must look like for a rule to fire. Empty lists match anything;
 * every given criterion must hold.
 *
 * @param rules       rule names (exact or glob): any one
 * @param minPriority at least this severe, or null
 * @param tags        every one of these tags
 * @param sources     any one of these sources
 * @param hostnames   any one of these hostnames (globs)
 * @param fields      output-field conditions, all of them
 */
public record Match(List<Glob> rules, Priority minPriority, List<String> tags, List<String> sources, List<Glob> hostnames,
                    List<FieldCondition> fields) {
    public boolean test(Alert a) {
        if (!rules.isEmpty() && rules.stream().noneMatch(g -> g.matches(a.rule()))) return false;
        if (minPriority != null && !a.priority().atLeast(minPriority)) return false;
        if (!a.tags().containsAll(tags)) return false;
        if (!sources.isEmpty() && !sources.contains(a.source())) return false;
        if (!hostnames.isEmpty() && hostnames.stream().noneMatch(g -> g.matches(a.hostname()))) return false;
        return fields.stream().allMatch(c -> c.test(a));
    }
}
