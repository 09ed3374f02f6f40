package dev.stasis.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One line of the custody log. {@code prev} is the SHA-256 of the previous
 * record's canonical JSON (64 zeros for the first), {@code sig} the Ed25519
 * signature (base64) over this record's canonical JSON without {@code sig}.
 *
 * @param seq      1, 2, 3... with no gaps
 * @param time     when
 * @param action   what
 * @param item     the item id, or null
 * @param who      who (an {@link Actor}'s who)
 * @param host     from where
 * @param via      through what program or channel
 * @param reason   why, or null
 * @param outcome  {@code ok}, {@code refused}, {@code failed} or {@code mismatch}
 * @param detail   one line of detail (error message, output path), or null
 * @param manifest SHA-256 of the item's canonical manifest after a store, or null
 * @param prev     hash of the previous record
 * @param sig      signature
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustodyRecord(
        long seq, Instant time, CustodyAction action, String item, String who, String host, String via,
        String reason, String outcome, String detail, String manifest, String prev, String sig) {}
