package dev.stasis.response.policy;

import java.util.Locale;
import java.util.Set;

/** The actions a policy can order, with the options each accepts. */
public enum ActionType {
    CHECKPOINT(Set.of("backend", "timeout", "leaveRunning", "compress")),
    COLLECT(Set.of("keepOnNode", "reason")),
    LABEL(Set.of("labels")),
    ANNOTATE(Set.of("annotations")),
    ISOLATE(Set.of("name")),
    NOTIFY(Set.of("url", "text", "channel"));

    private final Set<String> options;

    ActionType(Set<String> options) {
        this.options = options;
    }

    public Set<String> options() {
        return options;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActionType parse(String s) {
        for (ActionType t : values()) if (t.key().equals(s)) return t;
        return null;
    }
}
