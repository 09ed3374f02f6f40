package dev.stasis.analysis.rules;

import dev.stasis.analysis.detect.Text;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.MemoryHit;
import dev.stasis.analysis.subject.MountPoint;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs user rules over a subject: one finding per rule that matched, with every match as evidence. */
public final class RuleEngine {
    /** Evidence kept per finding: a rule matching thousands of objects is still readable. */
    static final int MAX_EVIDENCE = 50;

    private RuleEngine() {}

    public static List<Finding> run(List<Rule> rules, Subject subject) {
        List<Finding> out = new ArrayList<>();
        for (Rule r : rules) {
            List<Evidence> ev = matches(r, subject);
            if (ev.isEmpty()) continue;
            out.add(Finding.builder(r.id(), r.title())
                    .severity(r.severity()).confidence(r.confidence())
                    .techniques(r.techniques().toArray(String[]::new))
                    .evidence(ev.size() > MAX_EVIDENCE ? ev.subList(0, MAX_EVIDENCE) : ev)
                    .why(r.why())
                    .source("rule:" + r.origin())
                    .build());
        }
        return out;
    }

    static List<Evidence> matches(Rule r, Subject s) {
        List<Evidence> ev = new ArrayList<>();
        switch (r.subject()) {
            case "process" -> {
                for (Proc p : s.processes()) {
                    if (r.where().test(Facts.process(s, p))) {
                        ev.add(new Evidence("process", p.pid(), null, null, null, p.exe(),
                                "comm=" + p.comm() + (p.cmdline().isEmpty() ? "" : " argv=" + Text.excerpt(p.commandLine(), 160)), null));
                    }
                }
            }
            case "socket" -> {
                for (Sock k : s.sockets()) {
                    if (r.where().test(Facts.socket(s, k))) {
                        ev.add(new Evidence("socket", k.pids().isEmpty() ? null : k.pids().get(0), null, k.describe(), k.remote(), null, null, null));
                    }
                }
            }
            case "file" -> {
                List<DiffFile> files = new ArrayList<>(s.rootfsDiff());
                files.addAll(s.recovered());
                for (DiffFile f : files) {
                    Map<String, Object> facts = Facts.file(f);
                    if (r.where().test(facts)) ev.add(Evidence.file(f.path(), f.origin() + ", " + facts.get("magic"), f.sha256()));
                }
            }
            case "deleted" -> {
                for (String d : s.deletedFiles()) {
                    if (r.where().test(Facts.deleted(d))) ev.add(Evidence.of("deleted", d, "deleted from the image's filesystem"));
                }
            }
            case "env" -> {
                for (Map<String, Object> e : Facts.env(s)) {
                    if (!r.where().test(e)) continue;
                    Object value = e.get("value");
                    ev.add(new Evidence("env", (Integer) e.get("pid"), null, null, null, null,
                            e.get("name") + "=" + Text.mask(value == null ? "" : value.toString()) + " (" + e.get("source") + ")", null));
                }
            }
            case "mount" -> {
                for (MountPoint m : s.spec().mounts()) {
                    if (r.where().test(Facts.mount(m))) {
                        ev.add(new Evidence("mount", null, null, null, null, m.destination(), m.type() + " from " + m.source(), null));
                    }
                }
            }
            case "spec" -> {
                if (r.where().test(Facts.spec(s))) ev.add(Evidence.of("spec", null, "the container's spec matches"));
            }
            case "memory" -> {
                for (Proc p : s.processes()) {
                    if (!p.alive() || !r.where().test(Facts.process(s, p))) continue;
                    for (MemoryHit h : s.memory().search(p.pid(), r.memory(), r.limit())) {
                        ev.add(Evidence.memory(p.pid(), h.address(), Text.excerpt(h.text(), 200)));
                    }
                }
            }
            default -> throw new IllegalStateException("unknown rule subject " + r.subject());
        }
        return ev;
    }
}
