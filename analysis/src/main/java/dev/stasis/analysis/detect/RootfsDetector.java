package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.Subject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the container wrote to or removed from its filesystem:
 * STASIS-FS-002 persistence (cron, systemd units, rc and shell profile files,
 * authorized_keys, sudoers, accounts); STASIS-FS-003 new executables and
 * scripts (type and SHA-256); STASIS-FS-004 deleted log files.
 */
public final class RootfsDetector implements Detector {
    private record Persistence(Pattern path, String what, String technique) {}

    private static final List<Persistence> PERSISTENCE = List.of(
            new Persistence(Pattern.compile("/etc/crontab|/etc/cron\\.(d|hourly|daily|weekly|monthly)/.+|/var/spool/cron/.+|/etc/anacrontab"), "cron job", "T1053.003"),
            new Persistence(Pattern.compile("/(etc|lib|usr/lib|run)/systemd/(system|user)/.+\\.(service|timer|socket|path)|.*/\\.config/systemd/user/.+"), "systemd unit", "T1543.002"),
            new Persistence(Pattern.compile("/etc/rc\\.local|/etc/rc\\d?\\.d/.+|/etc/init\\.d/.+|/etc/inittab"), "init script", "T1037.004"),
            new Persistence(Pattern.compile("/etc/profile|/etc/profile\\.d/.+|/etc/bash\\.bashrc|/etc/environment|.*/\\.(bashrc|bash_profile|profile|bash_login|bash_logout|zshrc|zprofile)"), "shell profile", "T1546.004"),
            new Persistence(Pattern.compile(".*/\\.ssh/authorized_keys2?"), "SSH authorized key", "T1098.004"),
            new Persistence(Pattern.compile("/etc/sudoers|/etc/sudoers\\.d/.+"), "sudo rule", "T1548.003"),
            new Persistence(Pattern.compile("/etc/passwd|/etc/shadow|/etc/group"), "account database", "T1136.001"),
            new Persistence(Pattern.compile("/etc/ld\\.so\\.conf\\.d/.+|/etc/ld\\.so\\.conf"), "linker configuration", "T1574.006"));
    private static final Pattern LOG = Pattern.compile("/var/log/.+|.+\\.log(\\.\\d+)?|.*/\\.(bash|zsh|sh|python)_history|/var/lib/.+/history");

    @Override
    public String name() {
        return "filesystem changes";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        for (DiffFile f : subject.rootfsDiff()) {
            if (!f.isRegular() && !"symlink".equals(f.type())) continue;
            for (Persistence p : PERSISTENCE) {
                if (!p.path.matcher(f.path()).matches()) continue;
                String content = Text.firstLine(new String(f.head(), StandardCharsets.UTF_8), 200);
                out.add(Finding.builder("STASIS-FS-002", "Persistence: " + p.what + " " + f.path() + (content.isEmpty() ? "" : ": " + Text.excerpt(content, 80)))
                        .severity(Severity.HIGH).confidence(Confidence.HIGH)
                        .techniques(p.technique)
                        .evidence(new Evidence("file", null, null, null, null, f.path(), content, f.sha256()))
                        .why("Written at run time, a " + p.what + " brings the attacker back after a restart or gives them a way in;"
                                + " containers are not meant to change it.")
                        .build());
                break;
            }
        }
        for (DiffFile f : subject.rootfsDiff()) {
            if (!f.isRegular() || f.size() == 0) continue;
            boolean elf = FileTypes.isElf(f.head());
            boolean script = FileTypes.isScript(f.head());
            if (!elf && !script && !f.executable()) continue;
            boolean risky = Programs.inTempDir(f.path()) || Programs.hidden(f.path());
            String type = FileTypes.describe(f.head());
            out.add(Finding.builder("STASIS-FS-003", "New " + (elf ? "executable" : script ? "script" : "executable file") + " in the container: " + f.path())
                    .severity(risky ? Severity.HIGH : Severity.MEDIUM)
                    .confidence(risky ? Confidence.HIGH : Confidence.MEDIUM)
                    .techniques(Programs.hidden(f.path()) ? new String[] {"T1105", "T1564.001"} : new String[] {"T1105"})
                    .evidence(new Evidence("file", null, null, null, null, f.path(),
                            type + ", " + f.size() + " bytes, mode " + f.modeString()
                                    + (script ? "; " + Text.firstLine(new String(f.head(), StandardCharsets.UTF_8), 120) : ""), f.sha256()))
                    .why("Programs that were not in the image were brought in at run time"
                            + (risky ? ", here into a temporary or hidden location, as droppers do." : "; check where they came from."))
                    .build());
        }
        List<String> logs = subject.deletedFiles().stream().filter(p -> LOG.matcher(p).matches()).toList();
        if (!logs.isEmpty()) {
            out.add(Finding.builder("STASIS-FS-004", "Log files deleted: " + Text.excerpt(String.join(", ", logs), 120))
                    .severity(Severity.MEDIUM).confidence(Confidence.HIGH)
                    .techniques("T1070.002")
                    .evidence(logs.stream().map(p -> Evidence.of("deleted", p, "deleted from the image's filesystem")).toList())
                    .why("Removing logs is how intruders cover their tracks; the image's copies show what was there.")
                    .build());
        }
        return out;
    }
}
