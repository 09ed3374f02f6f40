package dev.stasis.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.memory.testing.CritOracle;
import dev.stasis.memory.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pagemaps and VMAs as decoded here against crit's decoding of the same images. */
class PagemapTest {
    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "irc-bot.tar", "irc-bot.pre.tar.zst", "fileless-miner.tar.gz", "benign-web.tar.zst"})
    void runsAndVmasMatchCrit(String archive) throws Exception {
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(archive));
        JsonNode pstree = CritOracle.crit(archive, "pstree.img").get("entries");
        assertThat(mem.processes()).hasSize(pstree.size());
        for (ProcessMemory p : mem.processes()) {
            JsonNode core = CritOracle.crit(archive, "core-" + p.pid() + ".img").get("entries").get(0);
            assertThat(p.comm()).isEqualTo(core.get("tc").get("comm").asText());
            if (!p.hasMemory()) {
                assertThat(Fixtures.crit(archive, "mm-" + p.pid() + ".img")).doesNotExist();
                continue;
            }
            JsonNode pm = CritOracle.crit(archive, "pagemap-" + p.pid() + ".img").get("entries");
            assertThat(p.pagemap().pagesId()).isEqualTo(pm.get(0).get("pages_id").asInt());
            List<String> expected = new ArrayList<>();
            for (int i = 1; i < pm.size(); i++)
                expected.add(pm.get(i).get("vaddr").asLong() + "/" + pm.get(i).get("nr_pages").asLong() + "/" + pm.get(i).get("flags").asInt());
            assertThat(p.pagemap().runs()).extracting(r -> r.vaddr() + "/" + r.pages() + "/" + r.flags()).containsExactlyElementsOf(expected);

            JsonNode vmas = CritOracle.crit(archive, "mm-" + p.pid() + ".img").get("entries").get(0).get("vmas");
            List<String> ev = new ArrayList<>();
            for (JsonNode v : vmas) ev.add(Long.toUnsignedString(v.get("start").asLong()) + "-" + Long.toUnsignedString(v.get("end").asLong()));
            assertThat(p.vmas()).extracting(v -> Long.toUnsignedString(v.start()) + "-" + Long.toUnsignedString(v.end())).containsExactlyElementsOf(ev);
        }
    }

    @org.junit.jupiter.api.Test
    void zombieHasNoMemoryAndSaysSo() {
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source("benign-web.tar.zst"));
        ProcessMemory zombie = mem.processes().stream().filter(p -> !p.hasMemory()).findFirst().orElseThrow();
        // CRIU writes a zombie as TASK_DEAD (crit prints task_state 2 for pid 11)
        assertThat(zombie.pid()).isEqualTo(11);
        assertThat(zombie.taskState()).isEqualTo(ProcessMemory.TASK_DEAD);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mem.addressSpace(zombie.pid()))
                .isInstanceOf(MemoryException.class).hasMessageContaining("no memory");
    }

    @org.junit.jupiter.api.Test
    void memfdMappingIsNamedAndBackedByItsShmem() {
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source("fileless-miner.tar.gz"));
        JsonNode memfd = CritOracle.crit("fileless-miner.tar.gz", "memfd.img").get("entries").get(0);
        ProcessMemory miner = mem.process(23);
        Vma text = miner.vmas().get(0);
        assertThat(text.name()).isEqualTo("/memfd:" + memfd.get("name").asText() + " (deleted)");
        assertThat(text.shmem()).isEqualTo(memfd.get("shmid").asLong());
        // the memfd holds a copy of an ELF file: its first page, read through the process, starts with the ELF magic
        byte[] head = new byte[4];
        assertThat(mem.addressSpace(23).read(text.start(), head, 0, 4)).isEmpty();
        assertThat(head).containsExactly(0x7f, 'E', 'L', 'F');
    }
}
