package dev.stasis.sandbox.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.sandbox.run.report.DynamicReport;
import java.util.List;

/** What a sandbox run did and where its results are. JSON keys are snake_case like inspect/analyze. */
public record RunResult(@JsonProperty("run_id") String runId,
                        @JsonProperty("archive") String archive,
                        @JsonProperty("run_dir") String runDir,
                        @JsonProperty("container") String container,
                        @JsonProperty("address") String address,
                        @JsonProperty("sinkhole_addresses") List<String> sinkholeAddresses,
                        @JsonProperty("isolation_verified") boolean isolationVerified,
                        @JsonProperty("tcp_established") boolean tcpEstablished,
                        @JsonProperty("taken_over") List<String> takenOver,
                        @JsonProperty("replaced_mounts") List<String> replacedMounts,
                        @JsonProperty("restore_ms") long restoreMillis,
                        @JsonProperty("restore_stats") JsonNode restoreStats,
                        @JsonProperty("restored_pids") List<Long> restoredPids,
                        @JsonProperty("stimulus") List<String> stimulus,
                        @JsonProperty("recorder") String recorder,
                        @JsonProperty("recording") Output recording,
                        @JsonProperty("pcap") Output pcap,
                        @JsonProperty("transcript") Output transcript,
                        @JsonProperty("duration_s") double durationSeconds,
                        @JsonProperty("report") DynamicReport report,
                        @JsonProperty("cleanup") List<String> cleanup,
                        @JsonProperty("warnings") List<String> warnings) {
    /** One result file. */
    public record Output(@JsonProperty("path") String path, @JsonProperty("bytes") long bytes, @JsonProperty("count") long count,
                         @JsonProperty("vault_id") String vaultId) {
        public Output withVaultId(String id) {
            return new Output(path, bytes, count, id);
        }
    }
}
