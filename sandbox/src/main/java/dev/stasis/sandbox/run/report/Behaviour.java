package dev.stasis.sandbox.run.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Names observed behaviour with analyze's finding ids and ATT&amp;CK techniques, so the static and
 * the dynamic report speak of the same things: an IRC session with the (sinkholed) C2 is
 * STASIS-C2-001, operator commands the bot ran again and answered are STASIS-C2-002.
 */
public final class Behaviour {
    private Behaviour() {}

    public static List<DynamicReport.Finding> findings(DynamicReport.Activity a, DynamicReport.Sinkhole s, List<String> replayed) {
        List<DynamicReport.Finding> out = new ArrayList<>();
        List<String> irc = s.linesFromSandbox().stream()
                .filter(l -> l.startsWith("PRIVMSG ") || l.startsWith("NICK ") || l.startsWith("JOIN ") || l.startsWith("PONG")).toList();
        if (!irc.isEmpty()) {
            out.add(new DynamicReport.Finding("STASIS-C2-001", "the restored process kept talking IRC to its command-and-control server (the sinkhole)",
                    List.of("T1071", "T1571"), s.flows().stream().map(f -> "flow " + f).toList()));
        }
        List<String> answers = s.linesFromSandbox().stream().filter(l -> l.startsWith("PRIVMSG ")).toList();
        if (!replayed.isEmpty() && (!answers.isEmpty() || !a.execs().isEmpty())) {
            Set<String> techniques = new LinkedHashSet<>(List.of("T1059", "T1059.004"));
            List<String> ev = new ArrayList<>();
            for (DynamicReport.Exec e : a.execs()) {
                String prog = e.path().substring(e.path().lastIndexOf('/') + 1);
                ev.add("execve " + String.join(" ", e.argv()) + " (pid " + e.pid() + ")");
                switch (prog) {
                    case "id", "whoami", "w", "who" -> techniques.add("T1033");
                    case "ls", "find" -> techniques.add("T1083");
                    case "uname", "hostname", "cat" -> techniques.add("T1082");
                    default -> { }
                }
            }
            for (String l : answers) ev.add("bot: " + l);
            out.add(new DynamicReport.Finding("STASIS-C2-002", "the restored bot ran replayed operator commands: " + String.join("; ", replayed),
                    List.copyOf(techniques), ev.size() > 50 ? ev.subList(0, 50) : ev));
        }
        return out;
    }
}
