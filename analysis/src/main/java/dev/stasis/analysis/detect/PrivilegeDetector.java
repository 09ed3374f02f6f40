package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * STASIS-PRIV-001 privileged container; STASIS-PRIV-002 dangerous capabilities
 * beyond the runtime defaults, from the spec and from the processes' effective
 * sets (CRIU's credentials); STASIS-PRIV-003 namespaces shared with the host.
 */
public final class PrivilegeDetector implements Detector {
    @Override
    public String name() {
        return "privileges";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        if (subject.spec().privileged()) {
            out.add(Finding.builder("STASIS-PRIV-001", "Privileged container")
                    .severity(Severity.CRITICAL).confidence(Confidence.HIGH)
                    .techniques("T1611")
                    .evidence(Evidence.of("spec", null, "privileged: true"))
                    .why("A privileged container has every capability and the host's devices: escaping to the node is trivial.")
                    .build());
            return out;
        }
        Map<String, List<Evidence>> dangerous = new LinkedHashMap<>();
        for (String c : subject.spec().capabilities()) {
            String n = Capabilities.normalise(c);
            if (!Capabilities.DEFAULTS.contains(n) && (Capabilities.HIGH_RISK.containsKey(n) || Capabilities.MEDIUM_RISK.containsKey(n))) {
                dangerous.computeIfAbsent(n, k -> new ArrayList<>()).add(Evidence.of("spec", null, "capability CAP_" + n + " granted in the spec"));
            }
        }
        for (Proc p : subject.processes()) {
            if (p.capEff() == null) continue;
            for (String n : Capabilities.names(p.capEff())) {
                if (Capabilities.DEFAULTS.contains(n)) continue;
                if (!Capabilities.HIGH_RISK.containsKey(n) && !Capabilities.MEDIUM_RISK.containsKey(n)) continue;
                List<Evidence> list = dangerous.computeIfAbsent(n, k -> new ArrayList<>());
                if (list.stream().filter(e -> e.pid() != null).count() < 3) {
                    list.add(new Evidence("credentials", p.pid(), null, null, null, null,
                            "CAP_" + n + " in the effective set of " + p.comm(), null));
                }
            }
        }
        if (!dangerous.isEmpty()) {
            boolean high = dangerous.keySet().stream().anyMatch(Capabilities.HIGH_RISK::containsKey);
            List<Evidence> ev = new ArrayList<>();
            Set<String> why = new LinkedHashSet<>();
            dangerous.forEach((n, list) -> {
                ev.addAll(list);
                String w = Capabilities.HIGH_RISK.getOrDefault(n, Capabilities.MEDIUM_RISK.get(n));
                why.add("CAP_" + n + ": " + w);
            });
            out.add(Finding.builder("STASIS-PRIV-002", "Dangerous capabilities: " + String.join(", ", dangerous.keySet().stream().map(n -> "CAP_" + n).toList()))
                    .severity(high ? Severity.HIGH : Severity.MEDIUM).confidence(Confidence.HIGH)
                    .techniques(dangerous.containsKey("SYS_PTRACE") ? new String[] {"T1611", "T1055"} : new String[] {"T1611"})
                    .evidence(ev)
                    .why("Beyond the runtime's defaults: " + String.join("; ", why) + ".")
                    .build());
        }
        if (!subject.spec().hostNamespaces().isEmpty()) {
            boolean pidOrNet = subject.spec().hostNamespaces().stream().anyMatch(n -> n.equals("pid") || n.equals("network") || n.equals("ipc"));
            out.add(Finding.builder("STASIS-PRIV-003", "Shares host namespaces: " + String.join(", ", subject.spec().hostNamespaces()))
                    .severity(pidOrNet ? Severity.HIGH : Severity.MEDIUM).confidence(Confidence.HIGH)
                    .techniques("T1611")
                    .evidence(Evidence.of("spec", null, "no private " + String.join(", ", subject.spec().hostNamespaces()) + " namespace"))
                    .why("A container in the host's pid or network namespace sees and reaches the node's processes and interfaces.")
                    .build());
        }
        return out;
    }
}
