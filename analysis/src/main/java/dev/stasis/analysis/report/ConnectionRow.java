package dev.stasis.analysis.report;

import java.util.List;

/**
 * One socket in the report's connection table.
 *
 * @param pids   processes holding it (a socket can be shared after fork)
 * @param queued bytes waiting in the receive and send queues (data in flight), as a note
 * @param note   what stasis knows about the peer (threat intel hit, known port), may be null
 */
public record ConnectionRow(List<Integer> pids, Integer fd, String protocol, String local, String remote, String state,
                            String queued, String note) {
    public ConnectionRow {
        pids = pids == null ? List.of() : List.copyOf(pids);
    }
}
