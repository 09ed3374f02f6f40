package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.intel.Indicator;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Connections, judged by their remote end:
 * STASIS-INTEL-001 the peer is in the analyst's threat intelligence;
 * STASIS-NET-002 the peer port is an IRC port (botnet command and control);
 * STASIS-NET-003 the peer port is typical of mining pools, reverse shells or backdoors;
 * STASIS-NET-004 a shell or interpreter holds an outbound connection.
 */
public final class NetworkDetector implements Detector {
    @Override
    public String name() {
        return "connections";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        for (Sock s : subject.sockets()) {
            if (!s.isConnected()) continue;
            List<Evidence> ev = evidence(subject, s);
            Optional<Indicator> hit = context.intel().matchAddress(s.remoteAddress());
            if (hit.isPresent()) {
                out.add(Finding.builder("STASIS-INTEL-001", "Connection to threat-intel address " + s.remote()
                                + (hit.get().label() == null ? "" : " (" + hit.get().label() + ")"))
                        .severity(Severity.HIGH).confidence(Confidence.HIGH)
                        .techniques("T1071")
                        .evidence(ev)
                        .evidence(new Evidence("intel", null, null, null, s.remoteAddress(), null, hit.get().describe(), null))
                        .why("The container talks to an address your threat intelligence lists as malicious.")
                        .build());
            }
            String irc = Ports.irc(s.remotePort());
            if (irc != null && !s.remoteAddress().startsWith("127.")) {
                out.add(Finding.builder("STASIS-NET-002", "Connection to an IRC port: " + s.remote() + " (" + irc + ")")
                        .severity(Severity.HIGH).confidence(Confidence.MEDIUM)
                        .techniques("T1071", "T1571")
                        .evidence(ev)
                        .why("IRC is a classic botnet command-and-control channel and has no place in a service container.")
                        .build());
            }
            String sus = Ports.suspicious(s.remotePort());
            if (sus != null) {
                out.add(Finding.builder("STASIS-NET-003", "Connection to port " + s.remotePort() + " at " + s.remoteAddress() + " (" + sus + ")")
                        .severity(Severity.MEDIUM).confidence(Confidence.LOW)
                        .techniques("T1571")
                        .evidence(ev)
                        .why("This port is the default of mining pools, reverse shells or backdoors; combined with other"
                                + " findings it usually identifies the attacker's infrastructure.")
                        .build());
            }
            List<Proc> interpreters = s.pids().stream().flatMap(pid -> subject.process(pid).stream())
                    .filter(Programs::isShellOrInterpreter).toList();
            boolean loopback = s.remoteAddress().startsWith("127.") || s.remoteAddress().equals("::1");
            if (!interpreters.isEmpty() && !loopback) {
                Proc p = interpreters.get(0);
                out.add(Finding.builder("STASIS-NET-004", "Interpreter " + p.program() + " (pid " + p.pid() + ") holds an outbound connection to " + s.remote())
                        .severity(Severity.MEDIUM).confidence(Confidence.MEDIUM)
                        .techniques("T1059", "T1071")
                        .evidence(ev)
                        .why("Shells and script interpreters with their own outbound connections are how implants, bots and"
                                + " reverse shells are usually built.")
                        .build());
            }
        }
        return out;
    }

    static List<Evidence> evidence(Subject subject, Sock s) {
        List<Evidence> ev = new ArrayList<>();
        for (int pid : s.pids()) {
            Proc p = subject.process(pid).orElse(null);
            Integer fd = p == null ? null : p.fds().stream().filter(f -> f.socketId() != null && f.socketId() == s.id())
                    .map(f -> f.fd()).findFirst().orElse(null);
            ev.add(new Evidence("socket", pid, fd, s.describe(), s.remote(), null,
                    p == null ? null : "held by " + p.comm(), null));
        }
        if (ev.isEmpty()) ev.add(Evidence.socket(null, null, s.describe(), s.remote()));
        return ev;
    }
}
