package dev.stasis.evidence.cases;

import java.time.Instant;
import java.util.List;

/**
 * A case in a listing.
 *
 * @param name      the case's key (e.g. {@code INC-42})
 * @param title     one line
 * @param status    {@code open} or {@code closed}
 * @param createdAt when
 * @param createdBy who
 * @param evidence  how many evidence items it groups
 * @param reports   how many reports
 * @param tags      its tags, sorted
 */
public record CaseSummary(String name, String title, String status, Instant createdAt, String createdBy,
                          int evidence, int reports, List<String> tags) {}
