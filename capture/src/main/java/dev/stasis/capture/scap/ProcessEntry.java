package dev.stasis.capture.scap;

/**
 * One thread of a process list block (any version 1..9); fields a version lacks
 * hold their libscap defaults (-1 for vtid/vpid/sid/vpgid/loginuid, 0 otherwise).
 * {@code args}, {@code env} and {@code cgroups} are NUL-separated as on disk.
 * {@code tty} and the capability sets are only in entries written by libs 0.10 or
 * later (0 otherwise, as libscap); sysdig 0.29.3 does not read them.
 */
public record ProcessEntry(long tid, long pid, long ptid, long sid, long vpgid, String comm, String exe,
        String exepath, byte[] args, String cwd, long fdlimit, int flags, int uid, int gid, int vmsizeKb,
        int vmrssKb, int vmswapKb, long pfMajor, long pfMinor, byte[] env, long vtid, long vpid, byte[] cgroups,
        String root, int loginuid, boolean exeWritable, int tty, long capInheritable, long capPermitted,
        long capEffective) {
}
