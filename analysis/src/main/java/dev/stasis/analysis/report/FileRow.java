package dev.stasis.analysis.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One open descriptor of a process in the report, as checkpointctl nests them under the
 * process: what {@code readlink /proc/PID/fd/FD} would have read when the checkpoint was taken.
 *
 * @param kind       file, memfd, pipe, fifo, tty, socket, eventfd, ... (lower-case, from CRIU's fd type)
 * @param path       the target: a path (" (deleted)" appended when it was unlinked), "pipe:[ino]", a socket's description
 * @param deleted    the file was unlinked while open
 * @param findingIds the findings whose evidence names this descriptor or its path in this process
 */
public record FileRow(int fd, String kind, String path, boolean deleted, List<String> findingIds) {
    public FileRow {
        findingIds = findingIds == null ? List.of() : List.copyOf(findingIds);
    }

    @JsonIgnore
    public boolean isSocket() {
        return "socket".equals(kind);
    }
}
