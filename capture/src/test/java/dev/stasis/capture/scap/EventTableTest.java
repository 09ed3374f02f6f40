package dev.stasis.capture.scap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The table parses an entry on its first use and answers names and flags from the raw lines:
 * every type agrees with event_table.tsv (the generator's output, read here on its own).
 */
class EventTableTest {
    private final EventTable table = EventTable.get();

    @Test
    void everyTypeAgreesWithTheGeneratedFile() throws IOException {
        List<String[]> rows = rows();
        assertThat(rows).hasSizeGreaterThan(400);
        int max = 0;
        for (String[] f : rows) {
            int type = Integer.parseInt(f[0]);
            max = Math.max(max, type + 1);
            EventInfo info = table.info(type);
            assertThat(info.type()).isEqualTo(type);
            assertThat(info.name()).isEqualTo(f[1]).isEqualTo(table.name(type));
            assertThat(info.categories()).isEqualTo(set(f[2]));
            assertThat(info.flags()).isEqualTo(set(f[3]));
            assertThat(info.params()).hasSize((int) java.util.Arrays.stream(f).skip(4).filter(p -> !p.isEmpty()).count());
            for (String flag : List.of("EF_SKIPPARSERESET", "EF_USES_FD", "EF_NONE", "EF_", "")) {
                assertThat(table.hasFlag(type, flag)).as(type + " " + flag).isEqualTo(info.hasFlag(flag));
            }
            assertThat(table.byName(f[1])).contains(info);
            assertThat(table.info(type)).isEqualTo(info);
        }
        assertThat(table.size()).isEqualTo(max);
        assertThat(table.info(max)).isNull();
        assertThat(table.info(-1)).isNull();
        assertThat(table.name(max)).isNull();
        assertThat(table.hasFlag(max, "EF_NONE")).isFalse();
        assertThat(table.byName("execve")).extracting(EventInfo::name).containsOnly("execve").hasSizeGreaterThan(2);
        assertThat(table.byName("no-such-event")).isEmpty();
    }

    private static Set<String> set(String column) {
        List<String> out = new ArrayList<>();
        for (String p : column.split("\\|")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return Set.copyOf(out);
    }

    private static List<String[]> rows() throws IOException {
        try (InputStream in = EventTableTest.class.getResourceAsStream("event_table.tsv")) {
            List<String[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(line.split("\t", -1));
                }
            }
            return out;
        }
    }
}
