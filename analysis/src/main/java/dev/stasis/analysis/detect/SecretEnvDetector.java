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
import java.util.regex.Pattern;

/**
 * STASIS-ENV-001: secrets in environment variables (by name, or by a value
 * that looks like a known credential format). Values are masked in the
 * finding: the report must not leak what it reports.
 */
public final class SecretEnvDetector implements Detector {
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|DSN|CONN(ECTION)?_?STRING).*");
    private static final Pattern NOT_A_SECRET = Pattern.compile("(?i).*(_FILE|_PATH|_DIR|_URL_PATH|_TTL|_TIMEOUT|_LENGTH|_HEADER|_ENABLED)$");
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[baprs]-[A-Za-z0-9-]{10,}|eyJhbGciOi[A-Za-z0-9_-]{10,}\\..+|-----BEGIN [A-Z ]*PRIVATE KEY-----|[a-z]+://[^:/@\\s]+:[^@/\\s]+@.+");

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
        if (value.isBlank() || found.containsKey(name) || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) return;
        boolean byName = SECRET_NAME.matcher(name).matches() && !NOT_A_SECRET.matcher(name).matches();
        boolean byValue = SECRET_VALUE.matcher(value).matches();
        if (!byName && !byValue) return;
        found.put(name, new Evidence("env", pid, null, null, null, null, name + "=" + Text.mask(value)
                + (pid == null ? " (container spec)" : " (" + where + ")"), null));
    }
}
