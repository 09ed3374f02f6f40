package dev.stasis.sandbox.run.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What the restored processes did while caged, and what the sinkhole saw. JSON keys are snake_case. */
public record DynamicReport(@JsonProperty("activity") Activity activity,
                            @JsonProperty("sinkhole") Sinkhole sinkhole,
                            @JsonProperty("findings") List<Finding> findings) {
    public record Activity(@JsonProperty("syscall_lines") long syscallLines,
                           @JsonProperty("execs") List<Exec> execs,
                           @JsonProperty("connections") List<Connection> connections,
                           @JsonProperty("files_written") List<FileWrite> filesWritten) {}

    public record Exec(@JsonProperty("pid") long pid, @JsonProperty("time") double time, @JsonProperty("path") String path,
                       @JsonProperty("argv") List<String> argv) {}

    public record Connection(@JsonProperty("pid") long pid, @JsonProperty("time") double time, @JsonProperty("address") String address,
                             @JsonProperty("port") int port, @JsonProperty("result") String result) {}

    public record FileWrite(@JsonProperty("pid") long pid, @JsonProperty("time") double time, @JsonProperty("path") String path,
                            @JsonProperty("flags") String flags) {}

    public record Sinkhole(@JsonProperty("transcript_lines") long transcriptLines, @JsonProperty("flows") List<String> flows,
                           @JsonProperty("bytes_from_sandbox") long bytesFromSandbox, @JsonProperty("bytes_to_sandbox") long bytesToSandbox,
                           @JsonProperty("dns_queries") List<String> dnsQueries, @JsonProperty("lines_from_sandbox") List<String> linesFromSandbox) {}

    /** A finding in analyze's vocabulary (same ids and ATT&CK techniques), backed by observed behaviour. */
    public record Finding(@JsonProperty("id") String id, @JsonProperty("title") String title,
                          @JsonProperty("techniques") List<String> techniques, @JsonProperty("evidence") List<String> evidence) {}
}
