package dev.stasis.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.memory.elf.CoreDumpWriter;
import dev.stasis.memory.search.MemorySearch;
import dev.stasis.memory.search.SearchHit;
import dev.stasis.memory.search.SearchPattern;
import dev.stasis.memory.testing.CritOracle;
import dev.stasis.memory.testing.Fixtures;
import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core files judged by the real gdb: registers as crit decoded them, strings where memory search found them. */
class CoreDumpGdbTest {
    private static final Path GDB = Path.of("/usr/bin/gdb");

    @BeforeAll
    static void needGdb() {
        GroundTruth.require(Files.isExecutable(GDB), "CoreDumpGdbTest: /usr/bin/gdb is not installed (apt-get install gdb)");
    }

    @Test
    void gdbReadsRegistersAndTheIrcNickFromTheBotsCore(@TempDir Path dir) throws Exception {
        String archive = "irc-bot.tar.zst";
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(archive));
        Path core = dir.resolve("core.17");
        CoreDumpWriter.Result r = CoreDumpWriter.write(mem, 17, core);
        assertThat(r.dataPages()).isGreaterThan(0);

        SearchHit hit = MemorySearch.search(mem, SearchPattern.text("NICK kube-7f3a", false),
                new MemorySearch.Options(Set.of(17), 0, 10), null).hits().get(0);
        JsonNode regs = CritOracle.crit(archive, "core-17.img").get("entries").get(0).get("thread_info").get("gpregs");
        String out = gdb(core, "info registers rip", "info registers rsp", "x/s 0x" + Long.toHexString(hit.address()));
        assertThat(out).containsPattern("rip\\s+0x" + Long.toHexString(regs.get("ip").asLong()) + "\\b");
        assertThat(out).containsPattern("rsp\\s+0x" + Long.toHexString(regs.get("sp").asLong()) + "\\b");
        assertThat(out).contains("0x" + Long.toHexString(hit.address()) + ":\t\"NICK kube-7f3a");
    }

    @Test
    void everyProcessWithMemoryGetsACoreGdbAccepts(@TempDir Path dir) throws Exception {
        for (String archive : List.of("fileless-miner.tar.gz", "benign-web.tar.zst")) {
            CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(archive));
            for (ProcessMemory p : mem.processes()) {
                if (!p.hasMemory()) continue;
                Path core = dir.resolve(archive + ".core." + p.pid());
                CoreDumpWriter.write(mem, p.pid(), core);
                JsonNode regs = CritOracle.crit(archive, "core-" + p.pid() + ".img").get("entries").get(0).get("thread_info").get("gpregs");
                String out = gdb(core, "info registers rip");
                assertThat(out).as(archive + " pid " + p.pid()).containsPattern("rip\\s+0x" + Long.toHexString(regs.get("ip").asLong()) + "\\b");
            }
        }
    }

    @Test
    void theMemfdMinersCoreHoldsItsElfHeader(@TempDir Path dir) throws Exception {
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source("fileless-miner.tar.gz"));
        Path core = dir.resolve("core.23");
        CoreDumpWriter.write(mem, 23, core);
        Vma text = mem.process(23).vmas().get(0);
        String out = gdb(core, "x/4c 0x" + Long.toHexString(text.start()));
        assertThat(out).contains("127 '\\177'").contains("69 'E'").contains("76 'L'").contains("70 'F'");
    }

    static String gdb(Path core, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(GDB.toString(), "-nx", "-batch", "-c", core.toString()));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
