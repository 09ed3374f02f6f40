package dev.stasis.memory;

/**
 * One VMA of a process as CRIU saved it, with what backs it resolved to a
 * name like {@code /proc/PID/maps} prints. {@code shmem} is the id of the
 * shared-memory object whose pages hold its content
 * ({@code pagemap-shmem-<shmem>.img}) for shared anonymous and memfd mappings, else -1.
 */
public record Vma(long start, long end, long pgoff, int prot, int flags, long status, long fileId, String name, long shmem) {
    public static final long AREA_REGULAR = 1, AREA_STACK = 1 << 1, AREA_VSYSCALL = 1 << 2, AREA_VDSO = 1 << 3, AREA_HEAP = 1 << 5,
            FILE_PRIVATE = 1 << 6, FILE_SHARED = 1 << 7, ANON_SHARED = 1 << 8, ANON_PRIVATE = 1 << 9, AREA_SYSVIPC = 1 << 10,
            AREA_SOCKET = 1 << 11, AREA_VVAR = 1 << 12, AREA_AIORING = 1 << 13, AREA_MEMFD = 1 << 14, AREA_GUARD = 1 << 16;
    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_SHARED = 1;

    public long size() {
        return end - start;
    }

    public long pages() {
        return size() / Pagemap.PAGE_SIZE;
    }

    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) < 0;
    }

    public boolean is(long bit) {
        return (status & bit) != 0;
    }

    public boolean fileBacked() {
        return is(FILE_PRIVATE) || is(FILE_SHARED);
    }

    public boolean shared() {
        return (flags & MAP_SHARED) != 0;
    }

    /** {@code rwxp} as in /proc/PID/maps. */
    public String perms() {
        return "" + ((prot & PROT_READ) != 0 ? 'r' : '-') + ((prot & PROT_WRITE) != 0 ? 'w' : '-')
                + ((prot & PROT_EXEC) != 0 ? 'x' : '-') + (shared() ? 's' : 'p');
    }

    /** Start-end as hex, the key analysts use to name a VMA. */
    public String range() {
        return Long.toHexString(start) + "-" + Long.toHexString(end);
    }
}
