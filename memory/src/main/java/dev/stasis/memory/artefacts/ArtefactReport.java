package dev.stasis.memory.artefacts;

import java.util.List;

/**
 * What {@link MemoryArtefacts#scan} recovered: history lines in each process's
 * order, credentials in address order per process, and one line for each
 * process that could not be examined (and why).
 */
public record ArtefactReport(List<HistoryEntry> history, List<Credential> credentials, List<String> notes) {
    public static final ArtefactReport EMPTY = new ArtefactReport(List.of(), List.of(), List.of());

    public ArtefactReport {
        history = List.copyOf(history);
        credentials = List.copyOf(credentials);
        notes = List.copyOf(notes);
    }

    public boolean isEmpty() {
        return history.isEmpty() && credentials.isEmpty();
    }

    public List<HistoryEntry> history(int pid) {
        return history.stream().filter(h -> h.pid() == pid).toList();
    }

    public List<Credential> credentials(Credential.Kind kind) {
        return credentials.stream().filter(c -> c.kind() == kind).toList();
    }
}
