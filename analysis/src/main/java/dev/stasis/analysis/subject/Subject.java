package dev.stasis.analysis.subject;

import dev.stasis.analysis.report.Identity;
import dev.stasis.analysis.report.SourceInfo;
import java.util.List;
import java.util.Optional;

/**
 * Everything the detectors, rules and report tables look at, gathered once from
 * a checkpoint (see {@code CheckpointSubjects}). Detectors depend on this value,
 * not on the archive, so each can be tested on a hand-built subject too.
 *
 * @param deletedFiles image paths the container deleted (the engine's deleted.files list)
 * @param recovered    deleted-but-open files and memfds whose content is inside the checkpoint
 * @param logLines     the container's log (stdout/stderr), as stored in the archive
 * @param notices      limits found while loading (a process without memory images...)
 */
public record Subject(SourceInfo source, Identity identity, ContainerSpec spec, List<Proc> processes,
                      List<Sock> sockets, List<DiffFile> rootfsDiff, List<String> deletedFiles,
                      List<DiffFile> recovered, List<String> logLines, MemoryView memory, List<String> notices) {
    public Subject {
        processes = processes == null ? List.of() : List.copyOf(processes);
        sockets = sockets == null ? List.of() : List.copyOf(sockets);
        rootfsDiff = rootfsDiff == null ? List.of() : List.copyOf(rootfsDiff);
        deletedFiles = deletedFiles == null ? List.of() : List.copyOf(deletedFiles);
        recovered = recovered == null ? List.of() : List.copyOf(recovered);
        logLines = logLines == null ? List.of() : List.copyOf(logLines);
        memory = memory == null ? MemoryView.NONE : memory;
        notices = notices == null ? List.of() : List.copyOf(notices);
        spec = spec == null ? ContainerSpec.empty() : spec;
    }

    public Optional<Proc> process(int pid) {
        return processes.stream().filter(p -> p.pid() == pid).findFirst();
    }

    public Optional<Sock> socket(long id) {
        return sockets.stream().filter(s -> s.id() == id).findFirst();
    }

    /** Sockets referenced by a process's descriptors, with the fd numbers. */
    public List<FdSocket> socketsOf(Proc p) {
        return p.fds().stream().filter(f -> f.socketId() != null)
                .flatMap(f -> socket(f.socketId()).map(s -> new FdSocket(f.fd(), s)).stream()).toList();
    }

    public record FdSocket(int fd, Sock socket) {}
}
