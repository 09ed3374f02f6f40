package dev.stasis.memory.artefacts;

import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MemoryException;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Recovers shell and REPL history and credentials from the processes of a
 * checkpoint. Per process: readline's history list is walked in its writable
 * memory, and one pass over its private pages finds credentials.
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
        List<HistoryEntry> history = new ArrayList<>();
        List<Credential> credentials = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<ProcessMemory> procs = options.pids().isEmpty() ? memory.processes()
                : options.pids().stream().sorted().map(memory::process).toList();
        for (ProcessMemory p : procs) {
            if (!p.hasMemory()) continue;
            AddressSpace space;
            try {
                space = memory.addressSpace(p.pid());
            } catch (MemoryException e) {
                notes.add(e.getMessage());
                continue;
            }
            history.addAll(history(space, notes));
            credentials.addAll(credentials(memory, p));
        }
        return new ArtefactReport(history, credentials, notes);
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
        return out;
    }

    private static List<Credential> credentials(CheckpointMemory memory, ProcessMemory p) {
        List<CredentialScanner> slices = PageStretches.scan(memory, p, () -> new CredentialScanner(a -> vma(p, a)));
        CredentialScanner scanner = slices.get(0);
        for (CredentialScanner later : slices.subList(1, slices.size())) scanner.merge(later);
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
