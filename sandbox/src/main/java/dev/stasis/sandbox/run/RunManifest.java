package dev.stasis.sandbox.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Everything a run may create, written to the state directory BEFORE it is created, so that a
 * later run (or {@code stasis sandbox cleanup}) can remove it after a crash or a kill -9.
 * Names are derived from the run id and all carry the {@code stasis-sbx-}/{@code sbx} prefix, so
 * cleanup never touches anything the sandbox did not make.
 */
public record RunManifest(@JsonProperty("run_id") String runId,
                          @JsonProperty("owner_pid") long ownerPid,
                          @JsonProperty("owner_start") long ownerStart,
                          @JsonProperty("container") String container,
                          @JsonProperty("netns") List<String> netns,
                          @JsonProperty("links") List<String> links,
                          @JsonProperty("children") List<Child> children,
                          @JsonProperty("run_dir") String runDir) {
    /** A helper process we started (sinkhole, tcpdump, strace), identified by pid and start time. */
    public record Child(@JsonProperty("name") String name, @JsonProperty("pid") long pid, @JsonProperty("start") long start) {}

    public RunManifest {
        netns = List.copyOf(netns);
        links = List.copyOf(links);
        children = List.copyOf(children);
    }

    public static RunManifest plan(String runId, String runDir) {
        long me = ProcessHandle.current().pid();
        return new RunManifest(runId, me, Host.startTime(me), containerName(runId),
                List.of(netnsName(runId, "ctr"), netnsName(runId, "sink")),
                List.of(linkName(runId, 'c'), linkName(runId, 's')), List.of(), runDir);
    }

    public RunManifest withChild(String name, long pid) {
        List<Child> c = new java.util.ArrayList<>(children);
        c.add(new Child(name, pid, Host.startTime(pid)));
        return new RunManifest(runId, ownerPid, ownerStart, container, netns, links, c, runDir);
    }

    /** True while the process that wrote this manifest still runs. */
    public boolean ownerAlive() {
        return ownerStart > 0 && Host.startTime(ownerPid) == ownerStart;
    }

    public static String containerName(String runId) {
        return "stasis-sbx-" + runId;
    }

    public static String netnsName(String runId, String side) {
        return "stasis-sbx-" + runId + "-" + side;
    }

    /** veth names are limited to 15 bytes: "sbx" + 8 hex digits + side. */
    public static String linkName(String runId, char side) {
        return "sbx" + runId + side;
    }
}
