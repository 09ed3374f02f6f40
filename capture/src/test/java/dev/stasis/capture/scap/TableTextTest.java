package dev.stasis.capture.scap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The tables the reader uses ({@link TableText}, Java constants) hold exactly the TSV files
 * capture/tools/gen_event_table.py derived from falcosecurity/libs: a table regenerated
 * without its constants, or constants edited by hand, fail here.
 */
class TableTextTest {
    @Test
    void holdTheGeneratedTables() throws IOException {
        assertThat(String.join("", TableText.EVENT_TABLE)).isEqualTo(tsv("event_table.tsv"));
        assertThat(String.join("", TableText.FLAG_TABLES)).isEqualTo(tsv("flag_tables.tsv"));
        assertThat(String.join("", TableText.SYSCALLS)).isEqualTo(tsv("syscalls.tsv"));
        assertThat(String.join("", TableText.ERRNOS)).isEqualTo(tsv("errno.tsv"));
        assertThat(String.join("", TableText.SIGNALS)).isEqualTo(tsv("signals.tsv"));
    }

    @Test
    void chunksEndAtLineEnds() {
        for (String[] table : new String[][] {TableText.EVENT_TABLE, TableText.FLAG_TABLES, TableText.SYSCALLS,
                TableText.ERRNOS, TableText.SIGNALS}) {
            for (String chunk : table) {
                assertThat(chunk).endsWith("\n");
            }
        }
    }

    private static String tsv(String name) throws IOException {
        try (InputStream in = TableTextTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).as(name).hasSizeGreaterThan(300);
            return text;
        }
    }
}
