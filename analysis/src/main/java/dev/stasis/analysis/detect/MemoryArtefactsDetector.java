package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.Subject;
import dev.stasis.memory.artefacts.ArtefactReport;
import dev.stasis.memory.artefacts.Credential;
import dev.stasis.memory.artefacts.HistoryEntry;
import dev.stasis.memory.artefacts.ServiceAccountClaims;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the memory module's artefacts recover, as findings:
 * STASIS-HIST-001 the commands typed into a shell or REPL (readline's history list, perl's @DB::hist, node's REPL arrays),
 * STASIS-CRED-002 a Kubernetes service-account token in a process's memory (decoded),
 * STASIS-CRED-003 other credentials (cloud keys, private keys, passwords in URLs).
 * Values are always masked here; {@code stasis memory artefacts --show-secrets} reveals them.
 */
public final class MemoryArtefactsDetector implements Detector {
    /** History lines quoted as evidence per process; the rest are counted in the title. */
    private static final int MAX_LINES = 50;

    @Override
    public String name() {
        return "memory artefacts (history, credentials)";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        ArtefactReport r = context.memory().artefacts();      // from the one sweep over the live processes' pages
        List<Finding> out = new ArrayList<>();
        out.addAll(history(r));
        out.addAll(tokens(subject, r));
        out.addAll(otherCredentials(r));
        return out;
    }

    private static List<Finding> history(ArtefactReport r) {
        Map<Integer, List<HistoryEntry>> byPid = new LinkedHashMap<>();
        for (HistoryEntry h : r.history()) byPid.computeIfAbsent(h.pid(), k -> new ArrayList<>()).add(h);
        List<Finding> out = new ArrayList<>();
        for (var e : byPid.entrySet()) {
            List<HistoryEntry> lines = e.getValue();
            HistoryEntry first = lines.get(0);
            boolean python = first.process().startsWith("python");
            boolean node = first.method() == HistoryEntry.Method.NODE_REPL_LINES;
            boolean shell = Programs.SHELLS.contains(first.process());
            Set<String> techniques = new LinkedHashSet<>();
            techniques.add(python ? "T1059.006" : node ? "T1059.007" : shell ? "T1059.004" : "T1059");
            for (HistoryEntry h : lines) techniques.addAll(IrcC2Detector.techniquesFor("", h.line().strip()));
            List<Evidence> ev = new ArrayList<>();
            for (HistoryEntry h : lines.subList(0, Math.min(MAX_LINES, lines.size()))) {
                ev.add(Evidence.memory(h.pid(), h.address(), "#" + h.index() + (h.timestamp() == null ? "" : " " + h.timestamp()) + " "
                        + Text.excerpt(h.line(), 200) + " [" + h.vma() + "]"));
            }
            out.add(Finding.builder("STASIS-HIST-001", lines.size() + " command" + (lines.size() == 1 ? "" : "s") + " typed into "
                            + (python ? "the python REPL" : node ? "the node REPL" : shell ? "the shell" : "the interactive program") + " pid " + e.getKey()
                            + " (" + first.process() + "), recovered from its history list")
                    .severity(Severity.MEDIUM).confidence(Confidence.HIGH)
                    .techniques(techniques.toArray(String[]::new))
                    .evidence(ev)
                    .why("Someone typed these lines interactively inside the container, in this order (" + first.method().description()
                            + " in the heap): they are what the operator did and looked for.")
                    .build());
        }
        return out;
    }

    private static List<Finding> tokens(Subject subject, ArtefactReport r) {
        Map<String, List<Credential>> byToken = new LinkedHashMap<>();
        for (Credential c : r.credentials(Credential.Kind.KUBERNETES_SERVICE_ACCOUNT_TOKEN)) {
            byToken.computeIfAbsent(c.pid() + "\0" + c.value(), k -> new ArrayList<>()).add(c);
        }
        List<Finding> out = new ArrayList<>();
        for (List<Credential> cs : byToken.values()) {
            Credential c = cs.get(0);
            ServiceAccountClaims sa = c.claims();
            boolean byShell = subject.process(c.pid()).map(Programs::isShellOrInterpreter).orElse(false);
            List<String> techniques = new ArrayList<>(List.of("T1552.007", "T1528"));
            if ("default".equals(sa.serviceAccount())) techniques.add("T1078.001");
            List<Evidence> ev = new ArrayList<>();
            for (Credential x : cs) ev.add(Evidence.memory(x.pid(), x.address(), x.masked() + " [" + x.vma() + "]" + (x.occurrences() > 1 ? " x" + x.occurrences() : "")));
            ev.add(Evidence.of("token", null, "iss " + sa.issuer() + ", sub " + sa.subject() + (sa.pod() != null ? ", pod " + sa.pod() : "")
                    + ", iat " + sa.issuedAt() + ", exp " + sa.expires()));
            out.add(Finding.builder("STASIS-CRED-002", "Kubernetes service-account token of " + sa.identity() + " in the memory of pid " + c.pid()
                            + " (" + c.process() + ")" + (sa.bound() ? ", bound to pod " + sa.pod() : ", a long-lived legacy token"))
                    .severity(byShell || !sa.bound() ? Severity.HIGH : Severity.MEDIUM).confidence(Confidence.HIGH)
                    .techniques(techniques.toArray(String[]::new))
                    .evidence(ev)
                    .why("Whoever holds this token acts as " + sa.identity() + " on the cluster until it expires ("
                            + sa.expires() + "); `stasis memory artefacts --kubeconfig` asks the cluster what it may do.")
                    .build());
        }
        return out;
    }

    private static List<Finding> otherCredentials(ArtefactReport r) {
        Map<Integer, List<Credential>> byPid = new LinkedHashMap<>();
        for (Credential c : r.credentials()) {
            if (c.kind() == Credential.Kind.KUBERNETES_SERVICE_ACCOUNT_TOKEN || c.kind() == Credential.Kind.JWT) continue;
            byPid.computeIfAbsent(c.pid(), k -> new ArrayList<>()).add(c);
        }
        List<Finding> out = new ArrayList<>();
        for (var e : byPid.entrySet()) {
            List<Credential> cs = e.getValue();
            Set<String> kinds = new LinkedHashSet<>(), techniques = new LinkedHashSet<>();
            List<Evidence> ev = new ArrayList<>();
            for (Credential c : cs) {
                kinds.add(c.kind().label());
                techniques.add(c.kind().technique());
                ev.add(Evidence.memory(c.pid(), c.address(), c.kind().label() + ": " + c.masked() + " [" + c.vma() + "]"));
            }
            out.add(Finding.builder("STASIS-CRED-003", "Credentials in the memory of pid " + e.getKey() + " (" + cs.get(0).process() + "): "
                            + String.join(", ", kinds))
                    .severity(Severity.MEDIUM).confidence(Confidence.HIGH)
                    .techniques(techniques.toArray(String[]::new))
                    .evidence(ev)
                    .why("Anyone with this checkpoint, and any intruder in the container, can use these: rotate them and check where they were used.")
                    .build());
        }
        return out;
    }
}
