package dev.stasis.cli.memory;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.cli.support.Json;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MappedFiles;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.elf.CoreDumpWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis coredump ARCHIVE --pid N... -o DIR}: ELF core files that gdb reads. */
@Command(name = "coredump", mixinStandardHelpOptions = true,
        description = {"Write an ELF core file per process (DIR/core.PID) for gdb.",
                "Each has the registers of every thread (NT_PRSTATUS, NT_FPREGSET, NT_X86_XSTATE with the AVX/AVX-512",
                "state), NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE and one PT_LOAD per VMA.",
                "Memory comes only from the checkpoint: its page images, then, for file pages CRIU did not dump,",
                "the file's copy inside the checkpoint (a deleted file's ghost image, a file in rootfs-diff.tar).",
                "Pages it lacks (e.g. libraries from the image's layers) are zeros, never read from this machine's",
                "files; each such VMA is listed with where its bytes came from (also in the core's STASIS note).",
                "Example: gdb -batch -c DIR/core.17 -ex 'info registers rip' -ex 'p $ymm0' -ex 'x/s 0x55d1...'"})
public final class CoredumpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "checkpoint archive or directory") Path archive;
    @Option(names = "--pid", arity = "1..*", paramLabel = "N", description = "process ids (default: every process with memory)") List<Integer> pids = new ArrayList<>();
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "directory for the core files (created if missing)") Path dir;
    @Mixin FormatOption format = FormatOption.of("text or json (default: ${DEFAULT-VALUE})", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json();
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " exists and is not a directory");
        try (CheckpointArchive a = CheckpointArchive.open(archive); ArchiveMemorySource src = ArchiveMemorySource.over(a)) {
            CheckpointMemory memory = CheckpointMemory.load(src);
            MappedFiles files = MappedFiles.of(memory, a);
            List<Integer> which = pids.isEmpty()
                    ? memory.processes().stream().filter(ProcessMemory::hasMemory).map(ProcessMemory::pid).toList() : pids;
            for (int pid : which) memory.addressSpace(pid);   // fail on a bad pid before writing anything
            Files.createDirectories(dir);
            List<Map<String, Object>> out = new ArrayList<>();
            for (int pid : which) {
                CoreDumpWriter.Result r = CoreDumpWriter.write(memory, pid, dir.resolve("core." + pid), files);
                if (json) {
                    out.add(json(pid, r));
                } else {
                    System.out.printf("%s: pid %d (%s), %d thread(s), %d PT_LOAD, %d pages from the checkpoint's page images, "
                                    + "%d from files held in the checkpoint, %d left zero%n", r.file(), pid, memory.process(pid).comm(),
                            r.threads(), r.loadSegments(), r.dataPages(), r.filePages(), r.zeroPages());
                    for (CoreDumpWriter.VmaSource v : r.vmas()) if (v.notable()) System.out.println("  " + v.describe());
                }
            }
            if (json) {
                Map<String, Object> doc = Json.document("coredump", 1);
                doc.put("cores", out);
                Json.print(doc);
            }
            return 0;
        }
    }

    private static Map<String, Object> json(int pid, CoreDumpWriter.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("file", r.file().toString());
        m.put("threads", r.threads());
        m.put("load_segments", r.loadSegments());
        m.put("pages_written", r.dataPages());
        m.put("pages_from_files", r.filePages());
        Map<String, Long> miss = new LinkedHashMap<>();
        r.missingPages().forEach((k, v) -> miss.put(k.name().toLowerCase(Locale.ROOT), v));
        m.put("pages_not_in_checkpoint", miss);
        List<Map<String, Object>> vmas = new ArrayList<>();
        for (CoreDumpWriter.VmaSource v : r.vmas()) {
            if (!v.notable()) continue;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("start", MemoryOptions.hex(v.start()));
            e.put("end", MemoryOptions.hex(v.end()));
            e.put("perms", v.perms());
            e.put("name", v.name());
            e.put("pages_from_checkpoint", v.checkpointPages());
            e.put("pages_from_file", v.filePages());
            e.put("file_origin", v.fileOrigin());
            e.put("pages_zero", v.zeroPages());
            e.put("zero_reason", v.zeroReason());
            vmas.add(e);
        }
        m.put("vmas", vmas);
        return m;
    }
}
