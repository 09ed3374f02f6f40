package dev.stasis.analysis.subject;

import java.util.List;

/**
 * A process as the detectors and rules see it: the facts of the checkpoint's
 * model flattened into one value with plain names (RULES.md documents them).
 *
 * @param exe        executable path as the kernel recorded it (for a memfd: "memfd:NAME")
 * @param exeDeleted the executable was deleted while the process ran (its content may be recoverable)
 * @param exeMemfd   the executable is a memfd: fileless execution
 * @param exeSha256  SHA-256 of the recoverable executable content (deleted file or memfd), null otherwise
 * @param cmdline    argv as read from memory (may be rewritten by the process itself)
 * @param environ    environment entries as found in memory, raw (not always KEY=VALUE)
 * @param capEff     effective capability bits (bit n = capability n), null when unknown
 * @param state      alive, dead, stopped or zombie
 */
public record Proc(int pid, int ppid, String comm, List<String> cmdline, String exe, boolean exeDeleted,
                   boolean exeMemfd, String exeSha256, Long exeSize, String cwd, Integer uid, Integer euid, Integer gid,
                   Long capEff, Integer seccompMode, String state, int threads, List<String> environ, List<OpenFd> fds) {
    public Proc {
        cmdline = cmdline == null ? List.of() : List.copyOf(cmdline);
        environ = environ == null ? List.of() : List.copyOf(environ);
        fds = fds == null ? List.of() : List.copyOf(fds);
    }

    /** argv joined with spaces, or the comm in brackets-free form when argv is unknown. */
    public String commandLine() {
        return cmdline.isEmpty() ? "" : String.join(" ", cmdline);
    }

    /** The value of an environment variable (first occurrence), or null. */
    public String env(String name) {
        String prefix = name + "=";
        for (String e : environ) if (e.startsWith(prefix)) return e.substring(prefix.length());
        return null;
    }

    public boolean alive() {
        return "alive".equals(state) || "stopped".equals(state);
    }

    /** The program's base name: from exe, else argv[0], else comm. */
    public String program() {
        String p = exe != null && !exe.isEmpty() && !exeMemfd ? exe : (!cmdline.isEmpty() ? cmdline.get(0) : comm);
        if (p == null) return "";
        int slash = p.lastIndexOf('/');
        return slash >= 0 ? p.substring(slash + 1) : p;
    }

    /** "pid 17 [systemd]" for messages. */
    public String label() {
        return "pid " + pid + " " + comm;
    }
}
