package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * STASIS-ENV-001: secrets in environment variables (by name, or by a value
 * that looks like a known credential format: {@link SecretEnv}). Values are masked in the
 * finding: the report must not leak what it reports.
 */
public final class SecretEnvDetector implements Detector {
    @Override
    public String name() {
        return "secrets in environment";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        Map<String, Evidence> found = new LinkedHashMap<>();
        for (String e : subject.spec().env()) check(e, null, "spec", found);
        for (Proc p : subject.processes()) for (String e : p.environ()) check(e, p.pid(), p.comm(), found);
        if (found.isEmpty()) return List.of();
        return List.of(Finding.builder("STASIS-ENV-001", "Secrets in environment variables: " + String.join(", ", found.keySet()))
                .severity(Severity.MEDIUM).confidence(Confidence.MEDIUM)
                .techniques("T1552", "T1552.007")
                .evidence(new ArrayList<>(found.values()))
                .why("Environment variables are readable by every process of the container and end up in checkpoints,"
                        + " crash dumps and logs; an intruder here has these credentials. Rotate them and mount them as files.")
                .build());
    }

    private static void check(String entry, Integer pid, String where, Map<String, Evidence> found) {
        int eq = entry.indexOf('=');
        if (eq <= 0) return;
        String name = entry.substring(0, eq);
        String value = entry.substring(eq + 1);
        if (found.containsKey(name) || !SecretEnv.isSecret(name, value)) return;
        found.put(name, new Evidence("env", pid, null, null, null, null, name + "=" + Text.mask(value)
                + (pid == null ? " (container spec)" : " (" + where + ")"), null));
    }
}
