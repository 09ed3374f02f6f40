package dev.stasis.checkpoint.criu;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The one binary search over address ranges [start, end) sorted by start, compared unsigned
 * (a user-space address above 2^63 is still an address): page runs, VMAs.
 */
public final class AddressRanges {
    private AddressRanges() {}

    /**
     * The range holding {@code addr}, or null. An unsorted, hostile list can hide a range from it;
     * a caller that must survive one scans after a miss.
     */
    public static <T> T find(List<T> sorted, long addr, ToLongFunction<T> start, ToLongFunction<T> end) {
        int lo = 0, hi = sorted.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            T r = sorted.get(mid);
            if (Long.compareUnsigned(addr, start.applyAsLong(r)) < 0) hi = mid - 1;
            else if (Long.compareUnsigned(addr, end.applyAsLong(r)) >= 0) lo = mid + 1;
            else return r;
        }
        return null;
    }
}
