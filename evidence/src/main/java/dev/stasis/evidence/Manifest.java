package dev.stasis.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an item is and where it came from. Stored as JSON next to the bytes
 * and signed (Ed25519) over its canonical form (keys sorted, no whitespace,
 * the {@code signature} member left out), so that any change to any member,
 * known or added, breaks the signature.
 *
 * @param schema     {@value #SCHEMA}
 * @param id         the item's id: the SHA-256 of its bytes (lower-case hex)
 * @param sha256     same as id, spelled out for readers that look for it
 * @param size       size in bytes
 * @param format     what the bytes look like by their magic ({@code tar}, {@code tar+zstd}, {@code tar+gzip}, {@code unknown})
 * @param storedAt   when the item first became visible
 * @param location   where the bytes are ({@code file:...} or {@code s3://bucket/key})
 * @param storage    backend facts worth keeping (S3 version id, object lock mode and retain-until, SSE)
 * @param provenance one entry per store of these bytes, oldest first
 * @param keyId      SHA-256 (hex) of the signing public key's X.509 encoding
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        String schema,
        String id,
        String sha256,
        long size,
        String format,
        Instant storedAt,
        String location,
        Map<String, String> storage,
        List<ProvenanceEntry> provenance,
        String keyId) {

    public static final String SCHEMA = "stasis.evidence.manifest/v1";

    public Manifest {
        storage = storage == null ? Map.of() : Map.copyOf(storage);
        provenance = provenance == null ? List.of() : List.copyOf(provenance);
    }

    /** The newest store's provenance (what a listing shows). */
    public Provenance latestSource() {
        return provenance.isEmpty() ? Provenance.empty() : provenance.getLast().source();
    }
}
