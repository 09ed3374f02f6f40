package dev.stasis.evidence;

import java.util.List;

/**
 * The result of checking the custody log's chain.
 *
 * @param records  how many records were read
 * @param ok       true when every record is intact, in order and none is missing
 * @param headSeq  the sequence number the vault's head file says was last written
 * @param problems each edited, removed or reordered record, named by sequence number
 * @param notes    what is not tampering but worth saying: an append that was interrupted (its
 *                 incomplete last line, which the next append cuts off and records)
 */
public record CustodyVerification(long records, boolean ok, long headSeq, List<Problem> problems, List<String> notes) {
    public CustodyVerification {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }
}
