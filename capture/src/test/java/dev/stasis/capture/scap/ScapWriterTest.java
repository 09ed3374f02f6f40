package dev.stasis.capture.scap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rewriting every shared capture with ScapWriter: sysdig (and stasis) read the copy exactly as the original. */
class ScapWriterTest {
    static final String FIELDS = "*%evt.num|%evt.type|%evt.dir|%thread.tid|%proc.pid|%proc.ppid|%proc.name|%proc.exe|"
            + "%proc.args|%proc.cwd|%user.uid|%user.name|%fd.num|%fd.typechar|%fd.name|%fd.l4proto|%fd.cip|%fd.cport|"
            + "%fd.sip|%fd.sport|%fd.type|%fd.is_server|%container.id";

    @TempDir
    Path tmp;

    static List<Path> captures() throws IOException {
        return CaptureFixtures.captures();
    }

    private Path rewrite(Path capture) throws IOException {
        Path out = tmp.resolve(capture.getFileName());
        try (ScapReader r = ScapReader.open(capture)) {
            ScapWriter.copy(r, Files.newOutputStream(out));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void sysdigReadsTheCopyIdentically(Path capture) throws Exception {
        GroundTruth.require(CaptureFixtures.sysdigInstalled(), "sysdig is not installed");
        Path copy = rewrite(capture);
        String name = CaptureFixtures.name(capture);
        assertThat(CaptureFixtures.sysdig(copy)).isEqualTo(CaptureFixtures.golden("default", name));
        assertThat(CaptureFixtures.sysdig(copy, "-p", FIELDS)).isEqualTo(CaptureFixtures.golden("fields", name));
    }

    @ParameterizedTest
    @MethodSource("captures")
    void stasisReadsTheCopyIdentically(Path capture) throws IOException {
        Path copy = rewrite(capture);
        assertThat(CaptureFixtures.defaultLines(copy))
                .isEqualTo(CaptureFixtures.golden("default", CaptureFixtures.name(capture)));
        try (ScapReader a = ScapReader.open(capture); ScapReader b = ScapReader.open(copy)) {
            assertThat(b.section().version()).isEqualTo("1.2");
            assertThat(b.processes()).hasSameSizeAs(a.processes());
            assertThat(b.fds()).hasSameSizeAs(a.fds());
            assertThat(b.users()).isEqualTo(a.users());
            assertThat(b.groups()).isEqualTo(a.groups());
            assertThat(b.machine().hostname()).isEqualTo(a.machine().hostname());
            long n = 0;
            for (RawEvent x, y; (x = a.next()) != null; n++) {
                y = b.next();
                assertThat(y.num()).isEqualTo(x.num());
                assertThat(y.ts()).isEqualTo(x.ts());
                assertThat(y.nparams()).isEqualTo(x.nparams());
            }
            assertThat(b.next()).isNull();
            assertThat(n).isPositive();
        }
    }
}
