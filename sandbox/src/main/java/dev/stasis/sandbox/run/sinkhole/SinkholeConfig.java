package dev.stasis.sandbox.run.sinkhole;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the sinkhole child process is told (a JSON file in the run directory).
 *
 * @param address     the sinkhole's main address (the container's gateway): the answer to every DNS query
 * @param tcpPort     the port every TCP connection into the cage is redirected to
 * @param relayPort   the loopback port the takeover helpers relay taken-over connections to
 * @param stimulus    "none", "irc" (replay {@code ircCommands} as an IRC operator) or "send" ({@code lines})
 * @param dnsPort     53 in the cage (0 means 53)
 */
public record SinkholeConfig(@JsonProperty("transcript") String transcript,
                             @JsonProperty("address") String address,
                             @JsonProperty("tcp_port") int tcpPort,
                             @JsonProperty("relay_port") int relayPort,
                             @JsonProperty("takeovers") List<Takeover> takeovers,
                             @JsonProperty("stimulus") String stimulus,
                             @JsonProperty("irc_channel") String ircChannel,
                             @JsonProperty("irc_nick") String ircNick,
                             @JsonProperty("irc_commands") List<String> ircCommands,
                             @JsonProperty("lines") List<String> lines,
                             @JsonProperty("interval_ms") long intervalMillis,
                             @JsonProperty("helper") String helper,
                             @JsonProperty("python") String python,
                             @JsonProperty("dns_port") int dnsPort) {
    /** The sinkhole's end of one restored connection: its own address (the old peer's) and sequence numbers. */
    public record Takeover(@JsonProperty("local_ip") String localIp, @JsonProperty("local_port") int localPort,
                           @JsonProperty("remote_ip") String remoteIp, @JsonProperty("remote_port") int remotePort,
                           @JsonProperty("send_seq") long sendSeq, @JsonProperty("recv_seq") long recvSeq,
                           @JsonProperty("snd_wscale") int sndWscale, @JsonProperty("rcv_wscale") int rcvWscale,
                           @JsonProperty("mss") int mss, @JsonProperty("timestamps") boolean timestamps,
                           @JsonProperty("snd_wnd") long sndWnd, @JsonProperty("rcv_wnd") long rcvWnd) {}

    public SinkholeConfig {
        takeovers = takeovers == null ? List.of() : List.copyOf(takeovers);
        ircCommands = ircCommands == null ? List.of() : List.copyOf(ircCommands);
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
