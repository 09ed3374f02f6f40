/**
 * Recording syscall captures without a kernel driver: {@link dev.stasis.capture.record.SyscallRecorder}
 * drives strace over a process tree and writes what it reports as the scap events
 * sysdig 0.29's driver writes (see capture/API.md). Everything but the request,
 * recording and summary types is internal.
 */
package dev.stasis.capture.record;
