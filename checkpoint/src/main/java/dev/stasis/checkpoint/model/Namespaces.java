package dev.stasis.checkpoint.model;

/**
 * Namespace ids from {@code ids-<pid>.img} (CRIU's ids, the same id means the same namespace)
 * and the UTS names from {@code utsns-*.img}. Fields are null where unknown.
 */
public record Namespaces(Long pidNs, Long netNs, Long mntNs, Long ipcNs, Long utsNs, Long userNs, Long cgroupNs,
                         Long timeNs, String hostname, String domainname) {}
