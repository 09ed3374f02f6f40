package dev.stasis.analysis.detect;

import java.util.Map;

/** Remote ports that say something about what a connection is for. */
final class Ports {
    private static final Map<Integer, String> IRC = Map.ofEntries(
            Map.entry(194, "IRC"), Map.entry(6660, "IRC"), Map.entry(6661, "IRC"), Map.entry(6662, "IRC"),
            Map.entry(6663, "IRC"), Map.entry(6664, "IRC"), Map.entry(6665, "IRC"), Map.entry(6666, "IRC"),
            Map.entry(6667, "IRC"), Map.entry(6668, "IRC"), Map.entry(6669, "IRC"), Map.entry(6697, "IRC over TLS"),
            Map.entry(7000, "IRC (alternative)"), Map.entry(7070, "IRC (alternative)"));

    private static final Map<Integer, String> SUSPICIOUS = Map.ofEntries(
            Map.entry(3333, "Stratum mining pool"), Map.entry(4444, "Metasploit / reverse-shell default, Stratum mining pool"),
            Map.entry(5555, "Stratum mining pool"), Map.entry(7777, "Stratum mining pool"), Map.entry(9999, "Stratum mining pool"),
            Map.entry(14433, "Stratum mining pool (TLS)"), Map.entry(14444, "Stratum mining pool"),
            Map.entry(45700, "Stratum mining pool"), Map.entry(1337, "common backdoor port"),
            Map.entry(31337, "common backdoor port"), Map.entry(4445, "reverse-shell port"), Map.entry(9001, "Tor relay (ORPort)"),
            Map.entry(9050, "Tor SOCKS proxy"));

    private Ports() {}

    static String irc(int port) {
        return IRC.get(port);
    }

    static String suspicious(int port) {
        return SUSPICIOUS.get(port);
    }

    static boolean isMiningPort(int port) {
        String s = SUSPICIOUS.get(port);
        return s != null && s.contains("mining");
    }
}
