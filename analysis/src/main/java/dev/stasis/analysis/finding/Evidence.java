package dev.stasis.analysis.finding;

/**
 * One fact that supports a finding, pointing back into the checkpoint so an
 * analyst can verify it: which process, which descriptor, which socket, which
 * memory address or file, and a short excerpt of what was seen there. Fields
 * that do not apply are null.
 *
 * @param kind    what sort of fact: process, fd, socket, memory, file, mount, env, spec, intel, rule, yara
 * @param pid     process id inside the container's pid namespace
 * @param fd      file descriptor number in that process
 * @param socket  a socket in "proto src -> dst (state)" form
 * @param address a virtual address (hex, 0x-prefixed) or a network address
 * @param path    a file path (in the container's view)
 * @param excerpt a short quote of the data (secrets masked)
 * @param sha256  digest of recoverable content (a dropped file, a deleted executable, a memfd)
 */
public record Evidence(String kind, Integer pid, Integer fd, String socket, String address, String path,
                       String excerpt, String sha256) {

    public static Evidence process(int pid, String excerpt) {
        return new Evidence("process", pid, null, null, null, null, excerpt, null);
    }

    public static Evidence fd(int pid, int fd, String path, String excerpt) {
        return new Evidence("fd", pid, fd, null, null, path, excerpt, null);
    }

    public static Evidence socket(Integer pid, Integer fd, String socket, String address) {
        return new Evidence("socket", pid, fd, socket, address, null, null, null);
    }

    public static Evidence memory(int pid, long address, String excerpt) {
        return new Evidence("memory", pid, null, null, "0x" + Long.toHexString(address), null, excerpt, null);
    }

    public static Evidence file(String path, String excerpt, String sha256) {
        return new Evidence("file", null, null, null, null, path, excerpt, sha256);
    }

    public static Evidence of(String kind, String path, String excerpt) {
        return new Evidence(kind, null, null, null, null, path, excerpt, null);
    }

    public Evidence withPid(Integer newPid) {
        return new Evidence(kind, newPid, fd, socket, address, path, excerpt, sha256);
    }

    public Evidence withSha256(String digest) {
        return new Evidence(kind, pid, fd, socket, address, path, excerpt, digest);
    }

    /** A one-line rendering for terminals and Markdown. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (pid != null) sb.append("pid ").append(pid).append(' ');
        if (fd != null) sb.append("fd ").append(fd).append(' ');
        if (socket != null) sb.append(socket).append(' ');
        else if (address != null) sb.append(address).append(' ');
        if (path != null) sb.append(path).append(' ');
        if (excerpt != null) sb.append(sb.isEmpty() ? "" : ": ").append(excerpt).append(' ');
        if (sha256 != null) sb.append("sha256 ").append(sha256);
        return sb.toString().strip();
    }
}
