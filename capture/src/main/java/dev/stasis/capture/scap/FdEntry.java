package dev.stasis.capture.scap;

/**
 * One file descriptor of an fd list block. {@code type} is the scap fd type
 * (see {@link FdKind}); addresses are in network byte order (4 bytes for IPv4,
 * 16 for IPv6), ports in host order. {@code name} is the path for files, pipes,
 * directories and unix sockets, and the descriptive name for the other kinds.
 */
public record FdEntry(long tid, long fd, long ino, FdKind kind, byte[] sip, byte[] dip, int sport, int dport,
        int l4proto, long unixSource, long unixDest, String name, int openFlags, int dev) {
}
