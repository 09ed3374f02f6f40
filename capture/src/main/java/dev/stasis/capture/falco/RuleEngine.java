package dev.stasis.capture.falco;

import dev.stasis.capture.filter.EventView;
import dev.stasis.capture.filter.FieldValues;
import dev.stasis.vocabulary.Priority;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays compiled rules on events and produces Falco's alerts. Like Falco's
 * default {@code rule_matching: first}, an event raises at most one alert, from
 * the first rule (in load order) that matches; {@code allMatches} raises one
 * per matching rule. Rules below {@code minPriority} do not run, as with
 * Falco's {@code priority} setting.
 */
public final class RuleEngine {
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final List<Rule> rules;
    private final boolean allMatches;
    private final String hostnameOverride;
    private final ZoneId zone;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    public RuleEngine(RuleSet set, Priority minPriority, boolean allMatches, String hostname, ZoneId zone) {
        List<Rule> active = new ArrayList<>();
        for (Rule r : set.rules()) {
            if (r.priority().ordinal() <= minPriority.ordinal()) {
                active.add(r);
                counts.put(r.name(), 0L);
            }
        }
        this.rules = List.copyOf(active);
        this.allMatches = allMatches;
        this.hostnameOverride = hostname;
        this.zone = zone;
    }

    public RuleEngine(RuleSet set) {
        this(set, Priority.DEBUG, false, null, ZoneId.systemDefault());
    }

    /** The rules that run (enabled, supported, at or above the minimum priority). */
    public List<Rule> rules() {
        return rules;
    }

    /** The alerts an event raises (usually none). */
    public List<Alert> evaluate(EventView event) {
        List<Alert> out = null;
        String type = event.type();
        for (Rule r : rules) {
            if (!r.mayMatch(type) || !r.filter().matches(event)) continue;
            if (out == null) out = new ArrayList<>(1);
            out.add(alert(r, event));
            counts.merge(r.name(), 1L, Long::sum);
            if (!allMatches) break;
        }
        return out == null ? List.of() : out;
    }

    /** Alerts raised so far per rule, every running rule listed. */
    public Map<String, Long> counts() {
        return java.util.Collections.unmodifiableMap(counts);
    }

    private Alert alert(Rule r, EventView e) {
        long ts = e.ts();
        String clock = FieldValues.clock(ts, zone);
        String text = r.outputFormat().formatAll(e);
        String output = clock + ": " + r.priority().falcoName() + " " + text;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("evt.time", ts);
        fields.putAll(r.outputFormat().fieldValues(e));
        String time = ISO_SECONDS.format(Instant.ofEpochSecond(Math.floorDiv(ts, 1_000_000_000L)))
                + String.format(".%09dZ", Math.floorMod(ts, 1_000_000_000L));
        String host = hostnameOverride != null ? hostnameOverride : e.hostname() != null ? e.hostname() : "";
        return new Alert(time, r.name(), r.priority().falcoName(), r.source(), host, output, fields, r.tags(), e.num());
    }
}
