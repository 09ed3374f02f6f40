package dev.stasis.capture.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.scap.ScapReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures made of several sections (files concatenated, each with its own section
 * header and metadata): sysdig 0.29.3 restarts its state at each section header and
 * goes on numbering; golden/concat is its output (regen.sh).
 */
class ConcatenatedSectionsTest {
    private static final List<String> PARTS = List.of("falco_cat_write", "falco_connect_localhost", "falco_cat_write");

    @Test
    void concatenatedCapturesReadLikeSysdig(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("concat.scap");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : PARTS) {
            out.write(CaptureFixtures.plain(CaptureFixtures.root().resolve("testdata/captures/" + part + ".scap")));
        }
        Files.write(file, out.toByteArray());

        List<String> golden = CaptureFixtures.golden("concat", String.join("+", PARTS));
        List<String> ours = CaptureFixtures.defaultLines(file);
        assertThat(ours).hasSameSizeAs(golden);
        for (int i = 0; i < golden.size(); i++) {
            assertThat(ours.get(i)).as("line %d", i + 1).isEqualTo(golden.get(i));
        }
        try (ScapReader r = ScapReader.open(file)) {
            while (r.next() != null) {
                // read through
            }
            assertThat(r.sections()).isEqualTo(3);
            assertThat(r.warnings()).anyMatch(w -> w.startsWith("section 2 (concatenated capture)"));
        }
    }

    @Test
    void eachSectionStartsFromItsOwnThreadTable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("two.scap");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(CaptureFixtures.plain(CaptureFixtures.root().resolve("testdata/captures/falco_cat_write.scap")));
        out.write(CaptureFixtures.plain(CaptureFixtures.root().resolve("testdata/captures/falco_connect_localhost.scap")));
        Files.write(file, out.toByteArray());
        // a thread of the first section's process list that the second's does not have
        long tid;
        try (ScapReader a = ScapReader.open(CaptureFixtures.root().resolve("testdata/captures/falco_cat_write.scap"));
                ScapReader b = ScapReader.open(CaptureFixtures.root().resolve("testdata/captures/falco_connect_localhost.scap"))) {
            java.util.Set<Long> second = new java.util.HashSet<>();
            b.processes().forEach(p -> second.add(p.tid()));
            tid = a.processes().stream().mapToLong(p -> p.tid()).filter(t -> !second.contains(t)).findFirst().orElseThrow();
        }
        try (CaptureReader r = CaptureReader.open(file)) {
            CaptureState first = r.state();
            assertThat(first.thread(tid)).isNotNull();
            for (Event e; (e = r.next()) != null; ) {
                // read through
            }
            assertThat(r.state()).isNotSameAs(first);
            assertThat(r.state().thread(tid)).isNull();
        }
    }
}
