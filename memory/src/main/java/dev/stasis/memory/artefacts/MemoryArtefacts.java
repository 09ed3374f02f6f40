package dev.stasis.memory.artefacts;

import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MemoryException;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import dev.stasis.memory.sweep.PageSweep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recovers shell and REPL history and credentials from the processes of a
 * checkpoint. Per process: readline's history list is walked in its writable
 * memory, and credentials are found in the one sweep over its private pages
 * (which other detectors can share: {@link #prepare}).
 */
public final class MemoryArtefacts {
    private MemoryArtefacts() {}

    /** {@code pids} empty means every process. */
    public record Options(Set<Integer> pids) {
        public Options {
            pids = Set.copyOf(pids);
        }

        public static Options all() {
            return new Options(Set.of());
        }
    }

    public static ArtefactReport scan(CheckpointMemory memory, Options options) {
        return scan(memory, options, PageSweep.Tuning.DEFAULT);
    }

    static ArtefactReport scan(CheckpointMemory memory, Options options, PageSweep.Tuning tuning) {
        Scan s = prepare(memory, options);
        PageSweep.run(memory, s.processes(), List.of(s.subscriber()), tuning);
        return s.report();
    }

    /**
     * A scan whose credential search rides on a page sweep the caller runs (with other
     * subscribers): run {@link Scan#subscriber()} over {@link Scan#processes()}, then take
     * {@link Scan#report()}; the report is the one {@link #scan} gives.
     */
    public static Scan prepare(CheckpointMemory memory, Options options) {
        List<ProcessMemory> procs = options.pids().isEmpty() ? memory.processes()
                : options.pids().stream().sorted().map(memory::process).toList();
        Map<Integer, String> unreadable = new LinkedHashMap<>();
        for (ProcessMemory p : procs) {
            if (!p.hasMemory()) continue;
            try {
                memory.addressSpace(p.pid());
            } catch (MemoryException e) {
                unreadable.put(p.pid(), e.getMessage());
            }
        }
        return new Scan(memory, procs, unreadable);
    }

    /** One artefact scan: the processes it covers, its sweep subscriber, and the report once the sweep has run. */
    public static final class Scan {
        private final CheckpointMemory memory;
        private final List<ProcessMemory> procs;
        private final Map<Integer, String> unreadable;
        private final Map<Integer, List<Credential>> credentials = new HashMap<>();

        private Scan(CheckpointMemory memory, List<ProcessMemory> procs, Map<Integer, String> unreadable) {
            this.memory = memory;
            this.procs = procs;
            this.unreadable = unreadable;
        }

        public List<ProcessMemory> processes() {
            return procs;
        }

        public PageSweep.Subscriber subscriber() {
            return new PageSweep.Subscriber() {
                @Override
                public List<byte[]> literals() {
                    return CredentialScanner.triggers();
                }

                @Override
                public boolean wants(ProcessMemory p) {
                    return procs.contains(p) && !unreadable.containsKey(p.pid());
                }

                @Override
                public PageSweep.Visitor visitor(ProcessMemory p) {
                    return new CredentialScanner(a -> vma(p, a));
                }

                @Override
                public void done(ProcessMemory p, List<PageSweep.Visitor> slices) {
                    credentials.put(p.pid(), credentials(p, slices));
                }
            };
        }

        /** The history lists (walked now) and the credentials the sweep found. */
        public ArtefactReport report() {
            List<HistoryEntry> history = new ArrayList<>();
            List<Credential> found = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (ProcessMemory p : procs) {
                if (!p.hasMemory()) continue;
                if (unreadable.containsKey(p.pid())) {
                    notes.add(unreadable.get(p.pid()));
                    continue;
                }
                history.addAll(history(memory.addressSpace(p.pid()), notes));
                found.addAll(credentials.getOrDefault(p.pid(), List.of()));
            }
            return new ArtefactReport(history, found, notes);
        }
    }

    private static List<HistoryEntry> history(AddressSpace space, List<String> notes) {
        ProcessMemory p = space.process();
        ProcessImage image = ProcessImage.load(space);
        if (image == null) {
            notes.add("process " + p.pid() + " (" + p.comm() + "): more than " + (ProcessImage.MAX_BYTES >> 20)
                    + " MiB of writable memory; its history list was not looked for");
            return List.of();
        }
        List<HistoryEntry> out = new ArrayList<>();
        int i = 0;
        for (HistoryListWalker.Entry e : new HistoryListWalker(image).walk()) {
            out.add(new HistoryEntry(p.pid(), p.comm(), i++, e.line(), e.timestamp(), e.lineAddress(), vma(p, e.lineAddress()),
                    HistoryEntry.Method.READLINE_HISTORY_LIST));
        }
        // perl -d without Term::ReadLine::Gnu keeps its commands in perl arrays, not in readline's list
        if (out.isEmpty() && p.comm().startsWith("perl")) {
            for (PerlDebuggerHistoryWalker.Entry e : new PerlDebuggerHistoryWalker(image).walk()) {
                out.add(new HistoryEntry(p.pid(), p.comm(), i++, e.line(), null, e.lineAddress(), vma(p, e.lineAddress()),
                        HistoryEntry.Method.PERL_DEBUGGER_HIST));
            }
        }
        // node's REPL keeps its lines in the V8 heap, as JS arrays of strings
        if (out.isEmpty() && p.comm().startsWith("node")) {
            for (NodeReplHistoryWalker.Entry e : new NodeReplHistoryWalker(image).walk()) {
                out.add(new HistoryEntry(p.pid(), p.comm(), i++, e.line(), null, e.lineAddress(), vma(p, e.lineAddress()),
                        HistoryEntry.Method.NODE_REPL_LINES));
            }
        }
        return out;
    }

    private static List<Credential> credentials(ProcessMemory p, List<PageSweep.Visitor> slices) {
        CredentialScanner scanner = (CredentialScanner) slices.get(0);
        for (PageSweep.Visitor later : slices.subList(1, slices.size())) scanner.merge((CredentialScanner) later);
        List<Credential> out = new ArrayList<>();
        for (CredentialScanner.Found f : scanner.found()) {
            out.add(new Credential(f.kind(), p.pid(), p.comm(), f.address(), vma(p, f.address()), f.value(), f.identity(), f.details(), f.claims(),
                    scanner.count(f), f.method()));
        }
        out.sort(Comparator.comparingLong(Credential::address));
        return out;
    }

    /** "start-end name" of the VMA holding an address, as analysts name VMAs. */
    static String vma(ProcessMemory p, long address) {
        Vma v = p.vmaAt(address);
        return v == null ? "?" : v.range() + (v.name().isEmpty() ? "" : " " + v.name());
    }
}
