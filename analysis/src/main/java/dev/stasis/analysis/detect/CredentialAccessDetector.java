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
 * STASIS-CRED-001: a shell or interpreter touched the Kubernetes
 * service-account token: its path or a JWT is in that process's memory.
 * Applications using the API client read the token too, so only shells and
 * interpreters (what an intruder types into) are flagged.
 */
public final class CredentialAccessDetector implements Detector {
    @Override
    public String name() {
        return "service-account token access";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        Map<Integer, List<MemoryScan.Hit>> byPid = new LinkedHashMap<>();
        for (MemoryScan.Hit h : context.memory().hits(MemoryScan.Kind.TOKEN)) {
            Proc p = subject.process(h.pid()).orElse(null);
            if (p == null || !Programs.isShell(p)) continue;
            byPid.computeIfAbsent(h.pid(), k -> new ArrayList<>()).add(h);
        }
        List<Finding> out = new ArrayList<>();
        for (var e : byPid.entrySet()) {
            Proc p = subject.process(e.getKey()).orElseThrow();
            List<Evidence> ev = new ArrayList<>();
            boolean jwt = false;
            for (MemoryScan.Hit h : e.getValue().stream().distinct().limit(4).toList()) {
                boolean isJwt = h.text().startsWith("eyJ");
                jwt |= isJwt;
                ev.add(IrcC2Detector.evidence(h, isJwt ? "JWT " + Text.mask(h.text()) : h.text()));
            }
            out.add(Finding.builder("STASIS-CRED-001", "Shell pid " + p.pid() + " (" + p.comm() + ") accessed the service-account token"
                            + (jwt ? " (token value in its memory)" : ""))
                    .severity(Severity.HIGH).confidence(jwt ? Confidence.HIGH : Confidence.MEDIUM)
                    .techniques("T1528", "T1552.001")
                    .evidence(ev)
                    .why("With the pod's service-account token an intruder can call the Kubernetes API as this workload:"
                            + " rotate the token and review what its role allows.")
                    .build());
        }
        return out;
    }
}
