package dev.stasis.evidence.cases;

import java.time.Instant;
import java.util.List;

/** A case with everything it groups. */
public record CaseDetail(String name, String title, String status, Instant createdAt, String createdBy,
                         List<EvidenceLink> evidence, List<Report> reports, List<String> tags, List<Note> notes) {

    /** An evidence item in the case (by vault id). */
    public record EvidenceLink(String itemId, Instant addedAt, String addedBy) {}

    /** An analysis report kept with the case (content verbatim, with its SHA-256). */
    public record Report(String id, String title, String sha256, String content, Instant addedAt, String addedBy) {}

    /** A note, oldest first. */
    public record Note(String id, String body, Instant addedAt, String addedBy) {}
}
