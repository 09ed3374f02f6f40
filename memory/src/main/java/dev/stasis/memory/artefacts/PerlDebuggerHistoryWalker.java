package dev.stasis.memory.artefacts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the perl debugger's command history ({@code perl -d}: perl5db.pl pushes every command of two
 * or more characters onto {@code @DB::hist}) by following perl's own structures in the heap, perl 5.36
 * on x86-64. An SV head is {@code {sv_any, refcnt:u32, flags:u32, sv_u}}; its body's fields sit at fixed
 * offsets from {@code sv_any}. The walk: (1) every glob (type SVt_PVGV) whose name HEK
 * ({@code sv_any+32}) is "hist" and whose GP ({@code sv_u}) has an array ({@code gp_av}, GP+40);
 * (2) that AV's element array ({@code sv_u}) holds {@code fill+1} ({@code sv_any+16}) pointers to
 * string SVs (SVf_POK), each pointing ({@code sv_u}) at NUL-terminated text of {@code cur}
 * ({@code sv_any+16}) bytes. Element order is the order the commands were typed. perl5db seeds the
 * array with a placeholder "?" (a command shorter than two characters is never pushed, so no typed
 * line is "?"); it is left out, as perl5db's own history listing leaves it out. Other interpreters'
 * arrays (the program's own data) are not named "hist" and are not reported; and the walk runs only on
 * processes named perl.
 */
final class PerlDebuggerHistoryWalker {
    private static final int SVTYPE_MASK = 0x1f, SVT_PVGV = 9, SVT_PVAV = 11, SVF_POK = 0x400;
    private static final int MAX_ENTRIES = 100_000;
    private final ProcessImage image;

    PerlDebuggerHistoryWalker(ProcessImage image) {
        this.image = image;
    }

    record Entry(long lineAddress, String line) {}

    /** The debugger's history, oldest first; empty when the process holds no {@code @hist} of strings. */
    List<Entry> walk() {
        List<Entry> best = List.of();
        for (ProcessImage.Region r : image.regions()) {
            byte[] b = r.bytes();
            for (int off = 0; off + 24 <= b.length; off += 8) {
                int flags = (int) (ProcessImage.word(b, off + 8) >>> 32);
                if ((flags & SVTYPE_MASK) != SVT_PVGV) continue;
                long body = ProcessImage.word(b, off);
                Long hek = image.word(body + 32);
                if (hek == null || !"hist".equals(hekName(hek))) continue;
                Long av = image.word(ProcessImage.word(b, off + 16) + 40);
                if (av == null || av == 0) continue;
                List<Entry> entries = strings(av);
                if (entries != null && entries.size() > best.size()) best = entries;
            }
        }
        return best;
    }

    /** The HEK's key when it is a short printable name. */
    private String hekName(long hek) {
        Long lenWord = image.word(hek);
        if (lenWord == null) return null;
        int len = (int) (lenWord >>> 32);
        if (len != 4) return null;
        byte[] s = image.cString(hek + 8, 8);
        return s == null ? null : new String(s, StandardCharsets.ISO_8859_1);
    }

    /** The AV's elements as strings, or null when it is not an array of string SVs. */
    private List<Entry> strings(long av) {
        Long head = image.word(av + 8), body = image.word(av), array = image.word(av + 16);
        if (head == null || body == null || array == null || ((int) (head >>> 32) & SVTYPE_MASK) != SVT_PVAV) return null;
        Long fill = image.word(body + 16);
        if (fill == null || fill < 0 || fill >= MAX_ENTRIES) return null;
        List<Entry> out = new ArrayList<>();
        for (long i = 0; i <= fill; i++) {
            Long sv = image.word(array + 8 * i);
            if (sv == null || sv == 0) return null;
            Entry e = string(sv);
            if (e == null) return null;
            if (!e.line().equals("?")) out.add(e);
        }
        return out;
    }

    private Entry string(long sv) {
        Long svAny = image.word(sv), head = image.word(sv + 8), pv = image.word(sv + 16);
        if (svAny == null || head == null || pv == null || ((int) (head >>> 32) & SVF_POK) == 0) return null;
        Long cur = image.word(svAny + 16);
        byte[] s = image.cString(pv, HistoryListWalker.MAX_LINE);
        if (cur == null || s == null || s.length != cur) return null;
        String t = new String(s, StandardCharsets.UTF_8);
        return new Entry(pv, t);
    }
}
