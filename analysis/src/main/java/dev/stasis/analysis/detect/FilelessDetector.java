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
 * STASIS-PROC-002 (executable deleted while running) and STASIS-PROC-003
 * (executable is a memfd: fileless). Both hide the program from the disk; the
 * checkpoint still holds its content (ghost file or memfd image), so the
 * evidence carries its SHA-256 for lookup and for the recovered copy.
 */
public final class FilelessDetector implements Detector {
    @Override
    public String name() {
        return "deleted or fileless executables";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        for (Proc p : subject.processes()) {
            if (p.exeMemfd()) {
                out.add(Finding.builder("STASIS-PROC-003", "Fileless process: pid " + p.pid() + " (" + p.comm() + ") runs from memfd " + p.exe())
                        .severity(Severity.CRITICAL).confidence(Confidence.HIGH)
                        .techniques("T1620", "T1027.011")
                        .evidence(new Evidence("process", p.pid(), null, null, null, p.exe(),
                                "argv=" + Text.excerpt(p.commandLine(), 160) + recoverable(p), p.exeSha256()))
                        .why("The program exists only in memory (memfd_create + exec), a technique used to keep malware off the"
                                + " disk and away from file scanners. Its content was recovered from the checkpoint.")
                        .build());
            } else if (p.exeDeleted()) {
                out.add(Finding.builder("STASIS-PROC-002", "Process runs a deleted executable: pid " + p.pid() + " " + p.exe())
                        .severity(Severity.HIGH).confidence(Confidence.HIGH)
                        .techniques("T1070.004")
                        .evidence(new Evidence("process", p.pid(), null, null, null, p.exe(),
                                "comm=" + p.comm() + " argv=" + Text.excerpt(p.commandLine(), 160) + recoverable(p), p.exeSha256()))
                        .why("Deleting a program's file while it runs is how droppers erase their tracks; legitimate software"
                                + " rarely does it. The checkpoint kept the deleted file's content.")
                        .build());
            }
        }
        return out;
    }

    private static String recoverable(Proc p) {
        if (p.exeSha256() == null) return " (content not recoverable from this checkpoint)";
        return " (content recovered" + (p.exeSize() == null ? "" : ", " + p.exeSize() + " bytes") + ")";
    }
}
