package dev.stasis.evidence;

import java.util.List;

/**
 * The result of checking one item: its bytes against the manifest's SHA-256 and
 * size, its manifest against its signature and id.
 *
 * @param id       the item
 * @param ok       true when no problem was found
 * @param sha256   the SHA-256 the bytes hash to now (null when they could not be read)
 * @param size     the size read
 * @param problems what was found, empty when ok
 */
public record VerifyResult(String id, boolean ok, String sha256, long size, List<Problem> problems) {
    public VerifyResult {
        problems = List.copyOf(problems);
    }
}
