package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * Where programs run from and what they are:
 * STASIS-PROC-005 a program or script run from a world-writable temporary directory;
 * STASIS-PROC-006 a hidden (dot-file) executable;
 * STASIS-PROC-008 package managers, compilers or downloaders running inside the container;
 * STASIS-PROC-009 unreaped zombie processes (informational: a parent that does not wait).
 */
public final class ProcessOriginDetector implements Detector {
    @Override
    public String name() {
        return "process origin";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        List<Integer> zombies = new ArrayList<>();
        for (Proc p : subject.processes()) {
            if ("zombie".equals(p.state()) || "dead".equals(p.state())) {
                zombies.add(p.pid());
                continue;
            }
            String script = scriptArgument(p);
            String exe = p.exeMemfd() ? null : p.exe();
            String where = Programs.inTempDir(exe) ? exe : Programs.inTempDir(script) ? script : null;
            if (where != null) {
                out.add(Finding.builder("STASIS-PROC-005", "Code run from a temporary directory: pid " + p.pid() + " (" + p.comm() + ") " + where)
                        .severity(Severity.HIGH).confidence(Confidence.HIGH)
                        .techniques("T1105", "T1036.005")
                        .evidence(new Evidence("process", p.pid(), null, null, null, where,
                                "comm=" + p.comm() + " argv=" + Text.excerpt(p.commandLine(), 160), null))
                        .why("World-writable temporary directories are where dropped payloads land; services run from the image's"
                                + " own directories.")
                        .build());
            }
            String hiddenPath = exe != null && Programs.hidden(exe) ? exe : script != null && Programs.hidden(script) ? script : null;
            if (hiddenPath != null) {
                out.add(Finding.builder("STASIS-PROC-006", "Hidden executable running: pid " + p.pid() + " " + hiddenPath)
                        .severity(Severity.HIGH).confidence(Confidence.HIGH)
                        .techniques("T1564.001")
                        .evidence(new Evidence("process", p.pid(), null, null, null, hiddenPath, "comm=" + p.comm(), null))
                        .why("A program whose name starts with a dot is hidden from a plain ls: a common trick of droppers.")
                        .build());
            }
            String prog = p.program();
            String tool = Programs.PACKAGE_MANAGERS.contains(prog) ? "package manager"
                    : Programs.COMPILERS.contains(prog) ? "compiler" : Programs.DOWNLOADERS.contains(prog) ? "downloader" : null;
            if (tool != null) {
                out.add(Finding.builder("STASIS-PROC-008", "A " + tool + " is running in the container: pid " + p.pid() + " " + Text.excerpt(p.commandLine().isEmpty() ? prog : p.commandLine(), 80))
                        .severity(tool.equals("package manager") ? Severity.LOW : Severity.MEDIUM).confidence(Confidence.MEDIUM)
                        .techniques(tool.equals("compiler") ? "T1027.004" : "T1105")
                        .evidence(Evidence.process(p.pid(), "argv=" + Text.excerpt(p.commandLine(), 160)))
                        .why("Containers run what their image holds; installing, compiling or downloading at run time is drift"
                                + " that intruders cause when they bring their tools.")
                        .build());
            }
        }
        if (!zombies.isEmpty()) {
            out.add(Finding.builder("STASIS-PROC-009", "Unreaped zombie process(es): " + zombies.stream().map(z -> "pid " + z).toList())
                    .severity(Severity.INFO).confidence(Confidence.HIGH)
                    .evidence(zombies.stream().map(z -> {
                        Proc p = subject.process(z).orElseThrow();
                        return Evidence.process(z, p.comm() + " (" + p.state() + "), parent pid " + p.ppid());
                    }).toList())
                    .why("A parent that never waits for its children: a bug rather than an attack; such processes have no memory"
                            + " or files in the checkpoint.")
                    .build());
        }
        return out;
    }

    private static final java.util.regex.Pattern TEMP_PATH =
            java.util.regex.Pattern.compile("(?:^|[\\s;&|'\"(=])((?:/tmp|/var/tmp|/dev/shm|/run/shm)/[^\\s;&|'\")]+)");

    /** For an interpreter, the script it runs (first argument that is a path), else null. */
    static String scriptArgument(Proc p) {
        if (!Programs.isShellOrInterpreter(p)) return null;
        for (int i = 1; i < p.cmdline().size(); i++) {
            String a = p.cmdline().get(i);
            if (a.startsWith("-")) {
                if (a.equals("-c") || a.equals("-e")) {
                    // inline code: a path in a temporary directory it runs or passes on is what matters
                    if (i + 1 >= p.cmdline().size()) return null;
                    java.util.regex.Matcher m = TEMP_PATH.matcher(p.cmdline().get(i + 1));
                    return m.find() ? m.group(1) : null;
                }
                if (a.equals("-m")) return null;
                continue;
            }
            return a.startsWith("/") || a.startsWith("./") ? a : null;
        }
        return null;
    }
}
