package dev.stasis.analysis.subject;

/**
 * One file descriptor of a process.
 *
 * @param kind     file, socket, pipe, memfd, eventfd, ... (lower-case)
 * @param target   what it points at: a path, "pipe:[id]", or the socket's description
 * @param socketId the socket's file id when kind is socket (to find it in {@link Subject#sockets()}), else null
 */
public record OpenFd(int fd, String kind, String target, Long socketId, boolean deleted) {}
