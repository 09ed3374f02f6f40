package dev.stasis.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One store of an item's bytes: the source's provenance plus when and by whom
 * the vault accepted it. Storing the same bytes twice gives one item with two
 * entries.
 *
 * @param source         what the collector said about the archive
 * @param expectedSha256 the hash taken at the source, when one was given (it matched, or the store failed)
 * @param storedAt       when the vault made this store visible
 * @param storedBy       who stored it
 * @param reason         why (free text), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvenanceEntry(Provenance source, String expectedSha256, Instant storedAt, Actor storedBy, String reason) {}
