package dev.stasis.analysis.report;

import dev.stasis.analysis.finding.Severity;
import java.util.List;

/**
 * One process in the report's process tree.
 *
 * @param depth      nesting level in the tree (0 for the container's init)
 * @param findingIds the findings that point at this process
 * @param worst      the highest severity among them, null when none
 * @param cwd        the working directory, null when unknown (a zombie has none)
 * @param files      the process's open descriptors in fd order, sockets included (the connection table has their details)
 */
public record ProcessRow(int pid, int ppid, int depth, String comm, String cmdline, String exe, String state,
                         Integer uid, List<String> findingIds, Severity worst, String cwd, List<FileRow> files) {
    public ProcessRow {
        findingIds = findingIds == null ? List.of() : List.copyOf(findingIds);
        files = files == null ? List.of() : List.copyOf(files);
    }
}
