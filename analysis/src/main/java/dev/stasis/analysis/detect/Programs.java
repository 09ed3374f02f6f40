package dev.stasis.analysis.detect;

import dev.stasis.analysis.subject.Proc;
import java.util.Set;
import java.util.regex.Pattern;

/** Classes of programs the detectors reason about. */
final class Programs {
    static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "csh", "tcsh", "fish", "busybox");
    static final Pattern INTERPRETER = Pattern.compile(
            "(python|python[23](\\.\\d+)?|perl(5[\\d.]*)?|ruby[\\d.]*|php[\\d.]*|node|nodejs|lua[\\d.]*|tclsh[\\d.]*|awk|gawk|mawk|nc|ncat|netcat|socat|telnet|openssl|java|pwsh)");
    static final Set<String> PACKAGE_MANAGERS = Set.of("apt", "apt-get", "dpkg", "yum", "dnf", "rpm", "apk", "pip", "pip3",
            "npm", "gem", "zypper", "pacman", "microdnf");
    static final Set<String> COMPILERS = Set.of("gcc", "cc", "g++", "c++", "clang", "tcc", "make", "ld", "as", "go", "rustc", "cargo");
    static final Set<String> DOWNLOADERS = Set.of("curl", "wget", "tftp", "ftp", "scp", "sftp", "rsync");
    /** Names of kernel threads a process might borrow without the brackets. */
    static final Pattern KERNEL_THREAD_NAME = Pattern.compile(
            "\\.?(kworker|kthreadd|ksoftirqd|kswapd|kdevtmpfs|migration|rcu_|watchdog|kauditd|khugepaged|kcompactd|jbd2|kblockd|ksmd|kintegrityd|cpuhp|irq/)\\S*");
    static final Pattern BRACKETED = Pattern.compile("\\[[^\\]]{1,64}\\]");
    static final Set<String> TEMP_DIRS = Set.of("/tmp/", "/var/tmp/", "/dev/shm/", "/run/shm/", "/dev/mqueue/", "/run/lock/");

    private Programs() {}

    static boolean isShell(Proc p) {
        return SHELLS.contains(p.program()) || SHELLS.contains(p.comm());
    }

    static boolean isInterpreter(Proc p) {
        return INTERPRETER.matcher(p.program()).matches();
    }

    static boolean isShellOrInterpreter(Proc p) {
        return isShell(p) || isInterpreter(p);
    }

    static boolean inTempDir(String path) {
        if (path == null) return false;
        for (String d : TEMP_DIRS) if (path.startsWith(d)) return true;
        return false;
    }

    static String baseName(String path) {
        if (path == null) return "";
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }

    static boolean hidden(String path) {
        String b = baseName(path);
        return b.startsWith(".") && b.length() > 1 && !b.equals("..");
    }
}
