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
 * STASIS-PROC-001: a process that poses as a kernel thread. Kernel threads have
 * bracketed names in ps and no user-space memory, and they never live inside a
 * container's pid namespace; so a bracketed name (or a kernel thread's name
 * such as kworker) on a process running a user-space executable is disguise.
 */
public final class MasqueradeDetector implements Detector {
    @Override
    public String name() {
        return "kernel-thread masquerade";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        for (Proc p : subject.processes()) {
            if (!p.alive()) continue;
            String argv0 = p.cmdline().isEmpty() ? "" : p.cmdline().get(0).strip();
            boolean bracketed = Programs.BRACKETED.matcher(p.comm()).matches() || Programs.BRACKETED.matcher(argv0).matches();
            boolean kthreadName = Programs.KERNEL_THREAD_NAME.matcher(p.comm()).matches()
                    || Programs.KERNEL_THREAD_NAME.matcher(Programs.baseName(p.exe())).matches();
            if (!bracketed && !kthreadName) continue;
            String shown = bracketed ? (Programs.BRACKETED.matcher(p.comm()).matches() ? p.comm() : argv0) : p.comm();
            String exe = p.exe() == null ? "unknown executable" : p.exe();
            out.add(Finding.builder("STASIS-PROC-001", "Process poses as kernel thread " + shown + " (pid " + p.pid() + ", runs " + exe + ")")
                    .severity(Severity.HIGH)
                    .confidence(bracketed ? Confidence.HIGH : Confidence.MEDIUM)
                    .techniques("T1036.004", "T1036.005")
                    .evidence(new Evidence("process", p.pid(), null, null, null, p.exe(),
                            "comm=" + p.comm() + (p.cmdline().isEmpty() ? "" : " argv=" + Text.excerpt(p.commandLine(), 120))
                                    + " ppid=" + p.ppid(), null))
                    .why("Kernel threads never run inside a container and have no executable; a user-space program"
                            + " (here " + exe + ") named like one is hiding from ps and from whoever looks at the node.")
                    .build());
        }
        return out;
    }
}
