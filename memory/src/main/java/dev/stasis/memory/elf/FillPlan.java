package dev.stasis.memory.elf;

import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.MappedFiles;
import dev.stasis.memory.PageState;
import dev.stasis.memory.Vma;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides, before anything is written, where every page of a core's PT_LOAD
 * segments comes from: the checkpoint's page images, a mapped file the
 * checkpoint holds, or nowhere (left zero, with the reason). Deciding first
 * lets the STASIS note, which precedes the data, tell the whole story.
 */
record FillPlan(List<CoreDumpWriter.VmaSource> sources, Map<MappedFiles.Held, TreeMap<Long, List<Target>>> requests,
                long filePages, Map<PageState, Long> missing) {
    private static final int PAGE = 4096;

    /** A place in the core for one file page: the VMA (by index) and the offset inside its segment. */
    record Target(int vmaIndex, long offsetInVma) {}

    static FillPlan of(AddressSpace as, List<Vma> vmas, MappedFiles files) {
        List<CoreDumpWriter.VmaSource> sources = new ArrayList<>();
        Map<MappedFiles.Held, TreeMap<Long, List<Target>>> requests = new LinkedHashMap<>();
        EnumMap<PageState, Long> missing = new EnumMap<>(PageState.class);
        long filePages = 0;
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            if (!CoreDumpWriter.dumpable(v)) {
                sources.add(new CoreDumpWriter.VmaSource(v.start(), v.end(), v.perms(), v.name(), 0, 0, null, 0, null));
                continue;
            }
            MappedFiles.Backing backing = null;
            long fromCheckpoint = 0, fromFile = 0, zero = 0;
            Set<String> reasons = new LinkedHashSet<>();
            for (long a = v.start(); Long.compareUnsigned(a, v.end()) < 0; a += PAGE) {
                PageState state = as.locate(a).state();
                if (state == PageState.DATA) {
                    fromCheckpoint++;
                    continue;
                }
                if (state.known()) continue;   // untouched anonymous memory: real zeros
                if (state == PageState.FILE_NOT_DUMPED && v.fileBacked() && !v.is(Vma.AREA_MEMFD)) {
                    if (backing == null) backing = files.backing(v);
                    long index = (v.pgoff() + (a - v.start())) / PAGE;
                    if (backing instanceof MappedFiles.Held held && index * PAGE < held.size()) {
                        requests.computeIfAbsent(held, h -> new TreeMap<>()).computeIfAbsent(index, k -> new ArrayList<>())
                                .add(new Target(i, a - v.start()));
                        fromFile++;
                        continue;
                    }
                    reasons.add(backing instanceof MappedFiles.NotHeld n ? n.reason() : "past the end of the file");
                } else {
                    reasons.add(reason(state, v));
                }
                missing.merge(state, 1L, Long::sum);
                zero++;
            }
            filePages += fromFile;
            String origin = fromFile > 0 ? ((MappedFiles.Held) backing).origin() : null;
            sources.add(new CoreDumpWriter.VmaSource(v.start(), v.end(), v.perms(), v.name(), fromCheckpoint, fromFile, origin, zero,
                    reasons.isEmpty() ? null : String.join("; ", reasons)));
        }
        return new FillPlan(List.copyOf(sources), requests, filePages, missing);
    }

    private static String reason(PageState state, Vma v) {
        return switch (state) {
            case IN_PARENT -> "in a parent (pre-dump) image this checkpoint lacks";
            case LAZY -> "left for lazy migration, not in the checkpoint";
            case FILE_NOT_DUMPED -> v.is(Vma.AREA_MEMFD) ? "memfd pages not in the checkpoint" : "not dumped by CRIU";
            default -> state.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
