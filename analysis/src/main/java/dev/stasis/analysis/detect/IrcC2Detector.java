package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IRC command and control, read from process memory and TCP queues:
 * STASIS-C2-001 an IRC session (the bot's NICK, USER and JOIN lines);
 * STASIS-C2-002 the operator's bot commands ("!exec id") and the answers the bot
 * sent back (PRIVMSG lines), which tell the analyst what the attacker learned.
 * Lines are validated strictly so that the bot's own source code in memory
 * ("PRIVMSG $chan :$o") is not mistaken for traffic.
 */
public final class IrcC2Detector implements Detector {
    private static final String NICKNAME = "[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0,30}";
    private static final Pattern NICK = Pattern.compile("NICK (" + NICKNAME + ")\\s*");
    private static final Pattern USER = Pattern.compile("USER (" + NICKNAME + ") \\S+ \\S+ :[^$]*");
    private static final Pattern JOIN = Pattern.compile("JOIN ([#&][^\\s,$\\\\]{1,50})\\s*");
    private static final Pattern PRIVMSG = Pattern.compile("PRIVMSG ([#&]?[^\\s:$\\\\]{1,50}) :(.+?)\\s*");
    private static final Pattern BOT_COMMAND = Pattern.compile("!(\\w+)\\s*(.*)");

    @Override
    public String name() {
        return "IRC command and control";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        Map<String, MemoryScan.Hit> lines = context.memory().distinct(MemoryScan.Kind.IRC);
        Set<String> nicks = new LinkedHashSet<>();
        Set<String> channels = new LinkedHashSet<>();
        Map<String, MemoryScan.Hit> session = new LinkedHashMap<>();
        Map<String, MemoryScan.Hit> commands = new LinkedHashMap<>();
        Map<String, MemoryScan.Hit> answers = new LinkedHashMap<>();
        Map<String, MemoryScan.Hit> operatorSaid = new LinkedHashMap<>();
        for (var e : lines.entrySet()) {
            String line = e.getKey().strip();
            String sender = null;
            if (line.startsWith(":")) {
                // a line from the server: ":nick!user@host COMMAND ..."; the sender is the operator (or the server)
                int sp = line.indexOf(' ');
                String prefix = line.substring(1, sp);
                sender = prefix.contains("!") ? prefix.substring(0, prefix.indexOf('!')) : prefix;
                line = line.substring(sp + 1);
            }
            Matcher m;
            if ((m = NICK.matcher(line)).matches()) {
                nicks.add(m.group(1));
                session.putIfAbsent(line, e.getValue());
            } else if (USER.matcher(line).matches()) {
                session.putIfAbsent(line, e.getValue());
            } else if ((m = JOIN.matcher(line)).matches()) {
                channels.add(m.group(1));
                session.putIfAbsent(line, e.getValue());
            } else if ((m = PRIVMSG.matcher(line)).matches()) {
                String body = m.group(2);
                if (body.startsWith("$") || body.contains("\\r\\n")) continue;
                if (body.startsWith("!")) commands.putIfAbsent(body, e.getValue());
                else if (sender != null) operatorSaid.putIfAbsent(sender + ": " + body, e.getValue());
                else answers.putIfAbsent(line, e.getValue());
            }
        }
        List<Finding> out = new ArrayList<>();
        if (session.isEmpty() && commands.isEmpty() && answers.isEmpty()) return out;

        List<Sock> ircSockets = subject.sockets().stream().filter(s -> s.isConnected() && Ports.irc(s.remotePort()) != null).toList();
        boolean corroborated = !ircSockets.isEmpty();
        boolean strong = !nicks.isEmpty() && (!channels.isEmpty() || !answers.isEmpty());
        if (strong || corroborated) {
            List<Evidence> ev = new ArrayList<>();
            for (var e : session.entrySet()) ev.add(evidence(e.getValue(), e.getKey()));
            for (Sock s : ircSockets) ev.addAll(NetworkDetector.evidence(subject, s));
            String who = nicks.isEmpty() ? "" : " as " + String.join(", ", nicks);
            String where = channels.isEmpty() ? "" : " in " + String.join(", ", channels);
            String server = ircSockets.isEmpty() ? "" : " via " + ircSockets.get(0).remote();
            out.add(Finding.builder("STASIS-C2-001", "IRC command-and-control session" + who + where + server)
                    .severity(Severity.CRITICAL)
                    .confidence(strong && corroborated ? Confidence.HIGH : Confidence.MEDIUM)
                    .techniques("T1071", "T1571")
                    .evidence(ev)
                    .why("The process registered on an IRC server and joined a channel: the behaviour of a bot waiting for an"
                            + " operator's commands. The lines were recovered from memory or socket queues.")
                    .build());
        }
        if (!commands.isEmpty() || !answers.isEmpty()) {
            List<Evidence> ev = new ArrayList<>();
            Set<String> techniques = new LinkedHashSet<>(List.of("T1059"));
            List<String> asked = new ArrayList<>();
            for (var e : commands.entrySet()) {
                ev.add(evidence(e.getValue(), "operator: " + e.getKey()));
                Matcher c = BOT_COMMAND.matcher(e.getKey());
                if (c.matches()) {
                    String verb = c.group(1);
                    String arg = c.group(2).strip();
                    asked.add(verb.equals("exec") ? arg : verb + (arg.isEmpty() ? "" : " " + arg));
                    techniques.addAll(techniquesFor(verb, arg));
                }
            }
            for (var e : operatorSaid.entrySet()) ev.add(evidence(e.getValue(), "operator " + e.getKey()));
            for (var e : answers.entrySet()) {
                ev.add(evidence(e.getValue(), "bot: " + e.getKey()));
                String body = e.getKey().substring(e.getKey().indexOf(" :") + 2);
                if (body.startsWith("uid=")) techniques.add("T1033");
                if (body.startsWith("portscan")) techniques.add("T1046");
            }
            String title = asked.isEmpty()
                    ? "IRC bot reported " + answers.size() + " line(s) of command output to its operator"
                    : "IRC bot ran operator commands: " + Text.excerpt(String.join("; ", asked), 120);
            out.add(Finding.builder("STASIS-C2-002", title)
                    .severity(Severity.HIGH).confidence(Confidence.HIGH)
                    .techniques(techniques.toArray(String[]::new))
                    .evidence(ev)
                    .why("These are the commands the attacker sent and the answers the bot returned: what the attacker now"
                            + " knows about this container, and what to look for elsewhere.")
                    .build());
        }
        return out;
    }

    static Evidence evidence(MemoryScan.Hit h, String text) {
        if (h.address() != null) return Evidence.memory(h.pid(), h.address(), Text.excerpt(text, 200));
        return new Evidence("socket-queue", h.pid(), null, h.where(), null, null, Text.excerpt(text, 200), null);
    }

    static List<String> techniquesFor(String verb, String arg) {
        String cmd = arg.split("\\s+")[0];
        List<String> t = new ArrayList<>();
        if (verb.contains("scan")) t.add("T1046");
        switch (cmd) {
            case "id", "whoami", "w", "who" -> t.add("T1033");
            case "ls", "find", "dir" -> t.add("T1083");
            case "uname", "hostname", "cat" -> t.add("T1082");
            case "nmap", "nc", "masscan" -> t.add("T1046");
            case "wget", "curl" -> t.add("T1105");
            default -> { }
        }
        if (verb.equals("exec") || verb.equals("sh") || verb.equals("cmd")) t.add("T1059.004");
        return t;
    }
}
