package dev.stasis.capture.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.ScapReader;
import dev.stasis.capture.scap.ScapWriter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * container.mounts and container.mount[.source|.dest|.rdwr|...][index or glob] (used by the
 * sandbox rule "Launch Sensitive Mount Container"): a shared capture's container events,
 * rewritten with two mounts in the "Mounts" array libsinsp writes, read by sysdig 0.29.3
 * (ground truth) and by stasis with the same format, event by event.
 */
class ContainerMountFieldsTest {
    private static final String MOUNTS = "\"Mounts\":[{\"Destination\":\"/host/proc\",\"Mode\":\"ro\",\"Propagation\":"
            + "\"rprivate\",\"RW\":false,\"Source\":\"/proc\"},{\"Destination\":\"/var/run/docker.sock\",\"Mode\":\"\","
            + "\"Propagation\":\"rprivate\",\"RW\":true,\"Source\":\"/var/run/docker.sock\"}]";
    // '*': print every event, <NA> for fields without a value (sysdig skips the line otherwise).
    private static final String FORMAT = "*%evt.num|%container.mounts|%container.mount.dest[/proc*]|"
            + "%container.mount.dest[/var/run/docker.sock]|%container.mount.dest[/etc]|%container.mount.source[/host/*]|"
            + "%container.mount[1]|%container.mount[7]|%container.mount.rdwr[0]|%container.mount.mode[/proc]|"
            + "%container.mount.propagation[1]|%container.mount.dest[1]";

    @Test
    void mountsReadAsSysdigReadsThem(@TempDir Path dir) throws Exception {
        assumeTrue(CaptureFixtures.sysdigInstalled(), "sysdig is the ground truth here");
        Path capture = dir.resolve("mounts.scap");
        int rewritten = withMounts(TestData.capture("falco_run_as_user_0_container.scap"), capture);
        assertThat(rewritten).isPositive();

        String filter = "container.id!=host";
        List<String> expected = CaptureFixtures.sysdig(capture, "-p", FORMAT, filter);
        assertThat(expected).isNotEmpty();
        assertThat(expected).anyMatch(l -> l.contains("|/host/proc|/var/run/docker.sock|<NA>|/proc|"));

        Filter f = Filter.compile(filter);
        OutputFormat out = OutputFormat.compile(FORMAT);
        List<String> actual = new ArrayList<>();
        TestData.forEachEvent(capture, e -> {
            if (f.matches(e)) actual.add(out.format(e));
        });
        assertThat(actual).containsExactlyElementsOf(expected);

        // The sandbox rule's macro (sensitive_mount) sees the mounts.
        Filter sensitive = Filter.compile("container.id!=host and not container.mount.dest[/proc*] in (\"<NA>\",\"N/A\")");
        assertThat(TestData.select(capture, sensitive)).hasSize(
                CaptureFixtures.sysdig(capture, "-p", "%evt.num",
                        "container.id!=host and container.mount.dest[/proc*] exists").size());
    }

    /** Copies a capture, giving every container event's JSON two mounts; returns how many it changed. */
    private static int withMounts(Path in, Path out) throws Exception {
        int changed = 0;
        try (ScapReader r = ScapReader.open(in); OutputStream os = Files.newOutputStream(out);
                ScapWriter w = ScapWriter.create(os)) {
            w.writeMetadata(r.machine(), r.interfaces(), r.users(), r.groups(), r.processes(), r.fds());
            for (RawEvent e; (e = r.next()) != null; ) {
                String json = e.nparams() == 1 ? e.string(0) : null;
                if (json != null && json.startsWith("{\"container\":") && json.contains("\"Mounts\":[]")) {
                    byte[] text = json.replace("\"Mounts\":[]", MOUNTS).getBytes(StandardCharsets.UTF_8);
                    byte[] param = java.util.Arrays.copyOf(text, text.length + 1); // NUL-terminated, as written
                    e = RawEvent.of(e.num(), e.cpu(), e.ts(), e.tid(), e.type(), param);
                    changed++;
                }
                w.writeEvent(e);
            }
        }
        return changed;
    }
}
