package dev.stasis.analysis.subject;

import java.util.List;

/**
 * A socket open in the container.
 *
 * @param id         the checkpoint's file id (shared by every fd that refers to it)
 * @param family     inet, inet6 or unix
 * @param protocol   tcp, udp, raw, unix-stream...
 * @param state      established, listen, close... (lower-case)
 * @param inQueue    bytes received but not yet read (CRIU's tcp-stream in-queue), may be empty
 * @param outQueue   bytes written but not yet acknowledged, may be empty
 * @param pids       processes holding a descriptor to it
 */
public record Sock(long id, String family, String protocol, String state, String localAddress, int localPort,
                   String remoteAddress, int remotePort, String unixPath, byte[] inQueue, byte[] outQueue,
                   List<Integer> pids) {
    public Sock {
        pids = pids == null ? List.of() : List.copyOf(pids);
        inQueue = inQueue == null ? new byte[0] : inQueue;
        outQueue = outQueue == null ? new byte[0] : outQueue;
    }

    public boolean isInet() {
        return "inet".equals(family) || "inet6".equals(family);
    }

    public boolean isListening() {
        return "listen".equals(state);
    }

    /** Has a remote end (a connected inet socket). */
    public boolean isConnected() {
        return isInet() && remotePort != 0 && remoteAddress != null && !isListening();
    }

    public String local() {
        return hostPort(localAddress, localPort);
    }

    public String remote() {
        return isConnected() ? hostPort(remoteAddress, remotePort) : null;
    }

    /** "tcp 10.88.0.25:56778 -> 10.88.0.1:6667 (established)". */
    public String describe() {
        if (!isInet()) return protocol + " " + (unixPath == null || unixPath.isEmpty() ? "(anonymous)" : unixPath) + " (" + state + ")";
        String r = remote();
        return protocol + " " + local() + (r == null ? "" : " -> " + r) + " (" + state + ")";
    }

    static String hostPort(String address, int port) {
        if (address == null) return "*:" + port;
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
