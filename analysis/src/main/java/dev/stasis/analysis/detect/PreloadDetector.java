package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Dynamic linker hijacking: STASIS-PROC-007 LD_PRELOAD (or LD_AUDIT) in a
 * process's environment or the spec; STASIS-FS-001 /etc/ld.so.preload written
 * in the container. The container log often shows the loader's complaint when
 * the library is missing; those lines are added as evidence.
 */
public final class PreloadDetector implements Detector {
    @Override
    public String name() {
        return "dynamic linker hijacking";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        List<Evidence> ev = new ArrayList<>();
        List<String> libs = new ArrayList<>();
        for (Proc p : subject.processes()) {
            for (String var : List.of("LD_PRELOAD", "LD_AUDIT")) {
                String v = p.env(var);
                if (v == null || v.isBlank()) continue;
                ev.add(new Evidence("env", p.pid(), null, null, null, v, var + "=" + v + " (" + p.comm() + ")", null));
                if (!libs.contains(v)) libs.add(v);
            }
        }
        for (String e : subject.spec().env()) {
            if (e.startsWith("LD_PRELOAD=") || e.startsWith("LD_AUDIT=")) {
                String v = e.substring(e.indexOf('=') + 1);
                if (v.isBlank()) continue;
                ev.add(new Evidence("spec", null, null, null, null, v, e + " in the container spec", null));
                if (!libs.contains(v)) libs.add(v);
            }
        }
        for (MemoryScan.Hit h : context.memory().hits(MemoryScan.Kind.PRELOAD)) {
            String v = h.text().substring("LD_PRELOAD=".length());
            boolean known = ev.stream().anyMatch(e -> h.pid() == (e.pid() == null ? -1 : e.pid()) && v.equals(e.path()));
            if (known) continue;
            ev.add(new Evidence("memory", h.pid(), null, null, h.address() == null ? null : "0x" + Long.toHexString(h.address()), v,
                    h.text() + " in the memory of " + subject.process(h.pid()).map(p -> p.comm()).orElse("pid " + h.pid()), null));
            if (!libs.contains(v)) libs.add(v);
        }
        if (!ev.isEmpty()) {
            for (String line : subject.logLines()) {
                if (line.contains("LD_PRELOAD") && ev.size() < 12) ev.add(Evidence.of("log", "container log", Text.excerpt(line, 200)));
            }
            boolean missing = subject.logLines().stream().anyMatch(l -> l.contains("LD_PRELOAD cannot be preloaded"));
            out.add(Finding.builder("STASIS-PROC-007", "LD_PRELOAD set: " + String.join(", ", libs))
                    .severity(Severity.HIGH).confidence(Confidence.HIGH)
                    .techniques("T1574.006")
                    .evidence(ev)
                    .why("A preloaded library runs inside every program started with it; rootkits use it to hide processes,"
                            + " files and connections" + (missing ? " (here the loader reported the library missing, so the hiding failed)." : "."))
                    .build());
        }
        for (DiffFile f : subject.rootfsDiff()) {
            if (!f.path().equals("/etc/ld.so.preload")) continue;
            String content = new String(f.head(), StandardCharsets.UTF_8);
            out.add(Finding.builder("STASIS-FS-001", "/etc/ld.so.preload written: " + Text.excerpt(content, 80))
                    .severity(Severity.CRITICAL).confidence(Confidence.HIGH)
                    .techniques("T1574.006")
                    .evidence(Evidence.file(f.path(), Text.excerpt(content, 200), f.sha256()))
                    .why("Every program started in the container loads the listed libraries: the standard userland rootkit hook.")
                    .build());
        }
        return out;
    }
}
