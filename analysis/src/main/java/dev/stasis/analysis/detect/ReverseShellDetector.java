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
 * STASIS-PROC-004: a shell or interpreter whose standard input, output or error
 * is a connected network socket. That is the definition of a reverse (or bind)
 * shell: whoever is on the other end types the commands.
 */
public final class ReverseShellDetector implements Detector {
    @Override
    public String name() {
        return "reverse shell";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        for (Proc p : subject.processes()) {
            if (!Programs.isShellOrInterpreter(p)) continue;
            List<Evidence> ev = new ArrayList<>();
            String remote = null;
            for (Subject.FdSocket fs : subject.socketsOf(p)) {
                if (fs.fd() > 2 || !fs.socket().isInet() || fs.socket().isListening()) continue;
                ev.add(Evidence.socket(p.pid(), fs.fd(), fs.socket().describe(), fs.socket().remote()));
                remote = fs.socket().remote();
            }
            if (ev.isEmpty()) continue;
            ev.add(0, Evidence.process(p.pid(), "comm=" + p.comm() + " argv=" + Text.excerpt(p.commandLine(), 160)));
            out.add(Finding.builder("STASIS-PROC-004", "Reverse shell: pid " + p.pid() + " " + p.program() + " has its stdio on a TCP connection to " + remote)
                    .severity(Severity.CRITICAL).confidence(Confidence.HIGH)
                    .techniques("T1059.004", "T1071")
                    .evidence(ev)
                    .why("A shell reading commands from a network socket gives the remote end interactive control of the"
                            + " container with the process's privileges.")
                    .build());
        }
        return out;
    }
}
