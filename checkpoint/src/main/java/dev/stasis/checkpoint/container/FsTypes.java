package dev.stasis.checkpoint.container;

/** CRIU's fstype codes (criu/include/fs-magic.h order in images/mnt.proto). */
final class FsTypes {
    private static final String[] NAMES = {
        "unsupported", "proc", "sysfs", "devtmpfs", "binfmt_misc", "tmpfs", "devpts", "simfs", "pstore", "securityfs",
        "fusectl", "debugfs", "cgroup", "aufs", "mqueue", "fuse", "auto", "overlay", "autofs", "tracefs", "rpc_pipefs", "nfs", "nfs4", "cgroup2"
    };

    private FsTypes() {}

    static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "fstype-" + code;
    }
}
