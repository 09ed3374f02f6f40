package dev.stasis.sandbox.run.sinkhole;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the sinkhole says to the restored processes. In IRC mode it plays the C2 server and its
 * operator: a new connection is welcomed when it registers (NICK), answered on PING, and, once
 * it has joined (or, for a taken-over session, which already has, once the run says go), given
 * the operator commands one by one, as PRIVMSG lines to the bot's channel. In "send" mode it
 * sends the analyst's lines on every flow once the run says go. In "none" mode it only listens.
 */
final class Operator {
    private final SinkholeConfig config;
    private final Set<Flow> flows = ConcurrentHashMap.newKeySet();
    private final Set<Flow> stimulated = ConcurrentHashMap.newKeySet();
    private volatile boolean go;

    Operator(SinkholeConfig config) {
        this.config = config;
    }

    void opened(Flow f) {
        flows.add(f);
        if (go && !config.stimulus().equals("irc")) stimulate(f);
        if (config.stimulus().equals("irc") && !f.takenOver) {
            f.send(":irc.sinkhole NOTICE * :*** Looking up your hostname\r\n");
        }
    }

    void line(Flow f, String line) {
        if (!config.stimulus().equals("irc")) return;
        if (line.startsWith("PING")) {
            f.send("PONG" + line.substring(4) + "\r\n");
        } else if (line.startsWith("NICK ") && !f.takenOver) {
            String nick = line.substring(5).strip();
            f.send(":irc.sinkhole 001 " + nick + " :Welcome " + nick + "\r\n");
        } else if (line.startsWith("JOIN ") && go) {
            stimulate(f);
        }
    }

    /** The run is recording: stimulate every flow that can take it. */
    void go() {
        go = true;
        for (Flow f : flows) {
            if (!config.stimulus().equals("irc") || f.takenOver) stimulate(f);
        }
    }

    private void stimulate(Flow f) {
        if (!stimulated.add(f)) return;
        List<String> out = switch (config.stimulus()) {
            case "irc" -> config.ircCommands().stream()
                    .map(c -> ":op!op@c2 PRIVMSG " + (config.ircChannel() == null ? config.ircNick() : config.ircChannel()) + " :" + c + "\r\n")
                    .toList();
            case "send" -> config.lines().stream().map(l -> l.endsWith("\n") ? l : l + "\n").toList();
            default -> List.of();
        };
        if (out.isEmpty()) return;
        Thread.ofVirtual().start(() -> {
            for (String l : out) {
                f.send(l);
                try {
                    Thread.sleep(Math.max(0, config.intervalMillis()));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }
}
