package dev.stasis.memory.artefacts;

import java.time.Instant;

/**
 * One line of a shell's or REPL's history as the process held it.
 *
 * @param pid       process id in the checkpoint
 * @param process   the process's comm
 * @param index     position in the history list (0 = oldest kept)
 * @param line      the command line as typed
 * @param timestamp when it was entered, when the history kept a time (bash does with HISTTIMEFORMAT), else null
 * @param address   address of the line's text
 * @param vma       the VMA holding the text, as "start-end name"
 * @param method    how it was found
 */
public record HistoryEntry(int pid, String process, int index, String line, Instant timestamp, long address, String vma, Method method) {
    /** How a history line was recovered. */
    public enum Method {
        /** readline's {@code the_history}: an array of {@code HIST_ENTRY*} walked structurally in the heap. */
        READLINE_HISTORY_LIST("readline history list (the_history -> HIST_ENTRY)"),
        /** The perl debugger's {@code @DB::hist}: glob "hist" -> GP -> AV -> string SVs, walked structurally in the heap. */
        PERL_DEBUGGER_HIST("perl debugger @DB::hist (GV -> GP -> AV -> SV)"),
        /** node's REPL: readline's {@code history} and the REPL's {@code lines} JS arrays, walked structurally in the V8 heap. */
        NODE_REPL_LINES("node REPL lines and readline history arrays (JSArray -> FixedArray -> string, V8 heap)");

        private final String description;

        Method(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
