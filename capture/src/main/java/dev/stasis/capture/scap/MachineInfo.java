package dev.stasis.capture.scap;

/** The machine info block (0x201): the host the capture was taken on. */
public record MachineInfo(int numCpus, long memorySizeBytes, long maxPid, String hostname, long[] reserved) {
}
