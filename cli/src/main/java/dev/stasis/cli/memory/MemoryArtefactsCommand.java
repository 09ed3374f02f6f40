package dev.stasis.cli.memory;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.cli.support.Json;
import dev.stasis.memory.artefacts.ArtefactReport;
import dev.stasis.memory.artefacts.Credential;
import dev.stasis.memory.artefacts.HistoryEntry;
import dev.stasis.memory.artefacts.MemoryArtefacts;
import dev.stasis.memory.artefacts.ServiceAccountClaims;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis memory artefacts}: shell and REPL history and credentials recovered from process memory. */
@Command(name = "artefacts", aliases = "artifacts", mixinStandardHelpOptions = true,
        description = {"What analysts dig out of memory by hand: shell and REPL history, typed commands and credentials.",
                "History comes from GNU readline's history list (bash, python's REPL and other readline users), walked",
                "structurally in each process's heap, in order, with the time each line was entered.",
                "Credentials: Kubernetes service-account tokens (claims decoded), other JWTs, AWS key pairs, GCP",
                "service-account keys, SSH and other private keys, URLs with passwords, database connection strings;",
                "each with pid, address, VMA and the method that found it. Secrets are masked unless --show-secrets.",
                "With --kubeconfig, each service-account token is presented to that cluster's API server",
                "(SelfSubjectRulesReview, as the token's own identity) to report what it may do."})
public final class MemoryArtefactsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "checkpoint archive or directory") Path archive;
    @Option(names = "--pid", arity = "1..*", paramLabel = "N", description = "only these processes") List<Integer> pids = new ArrayList<>();
    @Option(names = "--show-secrets", description = "print credentials in full (default: masked)") boolean showSecrets;
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "ask this cluster what each service-account token found may do (the token is sent to its API server)")
    Path kubeconfig;
    @Mixin FormatOption format = FormatOption.of("text or json (default: ${DEFAULT-VALUE})", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json();
        if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) throw new IllegalArgumentException("no such kubeconfig: " + kubeconfig);
        ArtefactReport r;
        try (MemoryOptions.Opened o = MemoryOptions.open(archive)) {
            r = MemoryArtefacts.scan(o.memory(), new MemoryArtefacts.Options(Set.copyOf(pids)));
        }
        Map<String, TokenAccess> access = kubeconfig == null ? Map.of() : TokenAccess.review(kubeconfig, r.credentials());
        for (String n : r.notes()) System.err.println("stasis: note: " + n);
        if (json) Json.print(document(r, access));
        else text(r, access);
        return 0;
    }

    private Map<String, Object> document(ArtefactReport r, Map<String, TokenAccess> access) {
        Map<String, Object> doc = Json.document("memory-artefacts", 1);
        doc.put("archive", archive.toString());
        List<Map<String, Object>> history = new ArrayList<>();
        for (HistoryEntry h : r.history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", h.pid());
            m.put("process", h.process());
            m.put("index", h.index());
            m.put("line", h.line());
            m.put("timestamp", h.timestamp() == null ? null : h.timestamp().toString());
            m.put("address", MemoryOptions.hex(h.address()));
            m.put("vma", h.vma());
            m.put("method", h.method().description());
            history.add(m);
        }
        doc.put("history", history);
        List<Map<String, Object>> creds = new ArrayList<>();
        for (Credential c : r.credentials()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", c.kind().key());
            m.put("label", c.kind().label());
            m.put("technique", c.kind().technique());
            m.put("pid", c.pid());
            m.put("process", c.process());
            m.put("address", MemoryOptions.hex(c.address()));
            m.put("vma", c.vma());
            m.put("occurrences", c.occurrences());
            m.put("identity", c.identity());
            m.put("value", c.shown(showSecrets));
            m.put("masked", !showSecrets);
            m.put("method", c.method());
            m.put("details", c.details());
            if (c.claims() != null) m.put("service_account", claims(c.claims()));
            TokenAccess a = access.get(c.value());
            if (a != null) m.put("access", a.json());
            creds.add(m);
        }
        doc.put("credentials", creds);
        doc.put("notes", r.notes());
        return doc;
    }

    private static Map<String, Object> claims(ServiceAccountClaims s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", s.issuer());
        m.put("subject", s.subject());
        m.put("audiences", s.audiences());
        m.put("namespace", s.namespace());
        m.put("service_account", s.serviceAccount());
        m.put("service_account_uid", s.serviceAccountUid());
        m.put("pod", s.pod());
        m.put("pod_uid", s.podUid());
        m.put("secret", s.secret());
        m.put("issued_at", str(s.issuedAt()));
        m.put("not_before", str(s.notBefore()));
        m.put("expires", str(s.expires()));
        m.put("bound", s.bound());
        return m;
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private void text(ArtefactReport r, Map<String, TokenAccess> access) {
        if (r.isEmpty()) {
            System.out.println("no shell history, REPL lines or credentials found");
            return;
        }
        int lastPid = -1;
        if (!r.history().isEmpty()) System.out.println("HISTORY");
        for (HistoryEntry h : r.history()) {
            if (h.pid() != lastPid) {
                // one process's lines all come from one structure: name the method that found them
                System.out.println("pid " + h.pid() + " " + h.process() + " (" + h.method().description() + "):");
                lastPid = h.pid();
            }
            System.out.printf("  %3d  %-20s  %s  %s%n", h.index(), h.timestamp() == null ? "-" : h.timestamp().toString(),
                    MemoryOptions.hex(h.address()), h.line().replace("\n", "\\n"));
        }
        if (!r.credentials().isEmpty()) {
            if (!r.history().isEmpty()) System.out.println();
            System.out.println("CREDENTIALS" + (showSecrets ? " (shown in full: --show-secrets)" : " (masked; --show-secrets to reveal)"));
        }
        for (Credential c : r.credentials()) {
            System.out.printf("pid %d %s  %s  %s  %s%s%n", c.pid(), c.process(), c.kind().label(), MemoryOptions.hex(c.address()), c.vma(),
                    c.occurrences() > 1 ? "  (" + c.occurrences() + " copies)" : "");
            System.out.println("  value:    " + c.shown(showSecrets).replace("\n", "\\n"));
            if (!c.identity().equals(c.masked())) System.out.println("  identity: " + c.identity());
            ServiceAccountClaims s = c.claims();
            if (s != null) {
                System.out.println("  issuer " + s.issuer() + ", namespace " + s.namespace() + ", service account " + s.serviceAccount()
                        + (s.pod() != null ? ", pod " + s.pod() : "") + (s.secret() != null ? ", secret " + s.secret() : ""));
                System.out.println("  issued " + str(s.issuedAt()) + ", expires " + str(s.expires()));
            } else if (!c.details().isEmpty() && c.kind() != Credential.Kind.JWT) {
                System.out.println("  " + String.join(", ", c.details().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
            }
            System.out.println("  found by: " + c.method() + "  [" + c.kind().technique() + "]");
            TokenAccess a = access.get(c.value());
            if (a != null) for (String line : a.summary(c)) System.out.println("  access:   " + line);
        }
    }
}
