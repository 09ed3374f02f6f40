package dev.stasis.cli.memory;

import dev.stasis.cli.support.Json;
import dev.stasis.memory.PageState;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.elf.CoreDumpWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis coredump ARCHIVE --pid N... -o DIR}: ELF core files that gdb reads. */
@Command(name = "coredump", mixinStandardHelpOptions = true,
        description = {"Write an ELF core file per process (DIR/core.PID) for gdb: registers of every thread",
                "(NT_PRSTATUS, NT_FPREGSET), NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE and one PT_LOAD per VMA.",
                "Memory comes only from the checkpoint: pages it lacks (file pages CRIU did not dump) are zeros,",
                "never read from this machine's files; their count is reported.",
                "Example: gdb -batch -c DIR/core.17 -ex 'info registers rip' -ex 'x/s 0x55d1...'"})
public final class CoredumpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "checkpoint archive or directory") Path archive;
    @Option(names = "--pid", arity = "1..*", paramLabel = "N", description = "process ids (default: every process with memory)") List<Integer> pids = new ArrayList<>();
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "directory for the core files (created if missing)") Path dir;
    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})") String format;

    @Override
    public Integer call() throws Exception {
        boolean json = MemoryOptions.json(format, "text");
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " exists and is not a directory");
        try (MemoryOptions.Opened o = MemoryOptions.open(archive)) {
            List<Integer> which = pids.isEmpty()
                    ? o.memory().processes().stream().filter(ProcessMemory::hasMemory).map(ProcessMemory::pid).toList() : pids;
            for (int pid : which) o.memory().addressSpace(pid);   // fail on a bad pid before writing anything
            Files.createDirectories(dir);
            List<Map<String, Object>> out = new ArrayList<>();
            for (int pid : which) {
                CoreDumpWriter.Result r = CoreDumpWriter.write(o.memory(), pid, dir.resolve("core." + pid));
                long missing = r.missingPages().values().stream().mapToLong(Long::longValue).sum();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("pid", pid);
                    m.put("file", r.file().toString());
                    m.put("threads", r.threads());
                    m.put("loadSegments", r.loadSegments());
                    m.put("pagesWritten", r.dataPages());
                    Map<String, Long> miss = new LinkedHashMap<>();
                    r.missingPages().forEach((k, v) -> miss.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
                    m.put("pagesNotInCheckpoint", miss);
                    out.add(m);
                } else {
                    System.out.printf("%s: pid %d (%s), %d thread(s), %d PT_LOAD, %d pages from the checkpoint%s%n", r.file(), pid,
                            o.memory().process(pid).comm(), r.threads(), r.loadSegments(), r.dataPages(),
                            missing == 0 ? "" : ", " + missing + " pages zero (" + r.missingPages().getOrDefault(PageState.FILE_NOT_DUMPED, 0L)
                                    + " file-backed pages CRIU did not dump)");
                }
            }
            if (json) Json.print(out);
            return 0;
        }
    }
}
