package dev.stasis.memory.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent reading of a process's memory for tests: the pagemap as
 * crit decoded it (JSON in testdata) and the raw pages image bytes, with the
 * layout rule written out again in the simplest possible way, plus a naive
 * search over it.
 */
public final class CritOracle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 4096;

    private CritOracle() {}

    public static JsonNode crit(String archive, String image) {
        try {
            return JSON.readTree(Files.readString(Fixtures.crit(archive, image)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Present pages of one pid: page address -> 4096 bytes. */
    public static TreeMap<Long, byte[]> presentPages(String archive, Map<String, byte[]> images, int pid) {
        JsonNode entries = crit(archive, "pagemap-" + pid + ".img").get("entries");
        int pagesId = entries.get(0).get("pages_id").asInt();
        byte[] pages = images.get("pages-" + pagesId + ".img");
        TreeMap<Long, byte[]> out = new TreeMap<>(Long::compareUnsigned);
        long off = 0;
        for (int i = 1; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            long n = e.get("nr_pages").asLong();
            int flags = e.has("flags") ? e.get("flags").asInt() : 4;
            if ((flags & 4) == 0) continue;
            for (long k = 0; k < n; k++) {
                out.put(e.get("vaddr").asLong() + k * PAGE, Arrays.copyOfRange(pages, (int) off, (int) off + PAGE));
                off += PAGE;
            }
        }
        return out;
    }

    /** Every (overlapping) address where {@code needle} occurs in address-contiguous present pages of the pid. */
    public static List<Long> naiveSearch(TreeMap<Long, byte[]> pages, byte[] needle) {
        List<Long> hits = new ArrayList<>();
        // glue address-contiguous pages into segments, then search each segment byte by byte
        long segStart = -1, next = -1;
        java.io.ByteArrayOutputStream seg = new java.io.ByteArrayOutputStream();
        for (Map.Entry<Long, byte[]> p : pages.entrySet()) {
            if (p.getKey() != next) {
                searchSegment(seg.toByteArray(), segStart, needle, hits);
                seg.reset();
                segStart = p.getKey();
            }
            seg.writeBytes(p.getValue());
            next = p.getKey() + PAGE;
        }
        searchSegment(seg.toByteArray(), segStart, needle, hits);
        return hits;
    }

    private static void searchSegment(byte[] seg, long start, byte[] needle, List<Long> hits) {
        outer:
        for (int i = 0; i + needle.length <= seg.length; i++) {
            for (int k = 0; k < needle.length; k++) if (seg[i + k] != needle[k]) continue outer;
            hits.add(start + i);
        }
    }
}
