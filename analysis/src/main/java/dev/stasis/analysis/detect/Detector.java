package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.subject.Subject;
import java.util.List;

/**
 * One built-in detection: looks at a subject and returns what it found (empty
 * when nothing). Detectors are independent of each other and of the archive.
 */
public interface Detector {
    /** Short name for progress and notices. */
    String name();

    List<Finding> detect(Subject subject, DetectionContext context);
}
