package dev.stasis.checkpoint.model;

import java.util.List;

/**
 * One process (thread-group leader) of the checkpoint.
 *
 * @param threads    thread ids, the leader first
 * @param comm       the kernel's command name (16 bytes; what {@code ps -o comm} shows)
 * @param exitCode   exit code of a dead or zombie task, else null
 * @param cmdline    argv as found in memory
 * @param environment the environment as found in memory (raw entries, not parsed)
 * @param exe        the executable's path; a deleted file ends in " (deleted)", a memfd reads "/memfd:NAME (deleted)"
 * @param cwd        the working directory, null when unknown (dead tasks)
 * @param root       the root directory, null when unknown
 * @param credentials null for tasks without a core image
 * @param namespaces null for tasks without an ids image (zombies)
 * @param files      open descriptors, by fd number
 */
public record ProcessInfo(
        int pid,
        int ppid,
        int pgid,
        int sid,
        List<Integer> threads,
        String comm,
        TaskState state,
        Integer exitCode,
        Arguments cmdline,
        Arguments environment,
        String exe,
        boolean exeDeleted,
        boolean exeMemfd,
        String cwd,
        String root,
        Credentials credentials,
        Namespaces namespaces,
        List<OpenFile> files) {

    public ProcessInfo {
        threads = List.copyOf(threads);
        files = List.copyOf(files);
    }
}
