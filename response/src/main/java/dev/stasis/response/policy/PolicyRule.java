package dev.stasis.response.policy;

import java.util.List;

/** A named rule: when {@link #match()} holds, run {@link #actions()} in order. */
public record PolicyRule(String name, Match match, List<ActionSpec> actions) {}
