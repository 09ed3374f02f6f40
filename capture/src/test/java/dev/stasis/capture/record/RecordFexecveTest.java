package dev.stasis.capture.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.capture.filter.EventView;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.capture.filter.TestData;
import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program run from a memfd (fexecve: execveat with an empty path and AT_EMPTY_PATH), the way
 * fileless malware starts. sysdig 0.29.3 cannot be the reader here (it crashes on such an
 * execveat, in parse_dirfd), so the ground truth is the kernel's: the name the exec'd shell reads
 * from its own /proc/PID/comm, and the flag the workload (src/test/resources/record/fexecve.py) used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordFexecveTest {
    Path capture;
    JsonNode log;
    String kernelComm;

    @BeforeAll
    void record(@TempDir Path tmp) throws Exception {
        GroundTruth.require(SyscallRecorder.available() != null, "strace is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "SKIPPED: python3 is not installed");
        Path script = tmp.resolve("fexecve.py");
        try (InputStream in = getClass().getResourceAsStream("/record/fexecve.py")) {
            Files.copy(in, script);
        }
        Path fifo = tmp.resolve("go");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Process w = new ProcessBuilder("/usr/bin/python3", script.toString(), fifo.toString(), tmp.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("workload.out").toFile()).start();
        try {
            waitUntilBlockedOnTheFifo(w.pid());
            capture = tmp.resolve("fexecve.scap");
            try (Recording rec = SyscallRecorder.start(new RecordRequest(List.of(w.pid()), capture, 80, Optional.empty()))) {
                try (OutputStream go = Files.newOutputStream(fifo)) {
                    go.write("go\n".getBytes(StandardCharsets.US_ASCII));
                }
                assertThat(w.waitFor(60, TimeUnit.SECONDS)).as("workload finished").isTrue();
                assertThat(rec.await(Duration.ofSeconds(30))).as("strace ended with the workload").isTrue();
                rec.stop();
            }
        } finally {
            w.destroyForcibly();
        }
        assertThat(Files.readString(tmp.resolve("workload.out"))).isEmpty();
        log = new ObjectMapper().readTree(tmp.resolve("log.json").toFile());
        kernelComm = Files.readString(tmp.resolve("comm.txt")).strip();
    }

    private static void waitUntilBlockedOnTheFifo(long pid) throws Exception {
        for (int i = 0; i < 1000; i++) {
            String comm = read(Path.of("/proc/" + pid + "/comm"));
            String sys = read(Path.of("/proc/" + pid + "/syscall"));
            if (comm != null && comm.strip().equals("python3") && sys != null && sys.startsWith("257 ")) return;
            Thread.sleep(10);
        }
        throw new AssertionError("the workload did not start");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }

    private List<String> stasis(String filter, String fields) throws IOException {
        Filter f = Filter.compile(filter);
        OutputFormat fmt = OutputFormat.compile(fields);
        List<String> out = new ArrayList<>();
        TestData.forEachEvent(capture, (EventView e) -> {
            if (f.matches(e)) {
                String line = fmt.format(e);
                if (line != null) out.add(line);
            }
        });
        return out;
    }

    @Test
    void kernelReleasesAndDecoratedNames() {
        assertThat(EventConverter.kernelAtLeast("6.18.0-1-amd64", 6, 14)).isTrue();
        assertThat(EventConverter.kernelAtLeast("6.14", 6, 14)).isTrue();
        assertThat(EventConverter.kernelAtLeast("6.1.0-27-cloud-amd64", 6, 14)).isFalse();
        assertThat(EventConverter.kernelAtLeast("5.19.3", 6, 14)).isFalse();
        assertThat(EventConverter.kernelAtLeast("7.0.1", 6, 14)).isTrue();
        assertThat(EventConverter.kernelAtLeast("unknown", 6, 14)).isFalse();
        assertThat(EventConverter.fileName("/memfd:stasis-payload (deleted)")).isEqualTo("memfd:stasis-payload");
        assertThat(EventConverter.fileName("/usr/bin/true")).isEqualTo("true");
    }

    @Test
    void theExecveatCarriesTheEmptyPathFlagAndTheMemfd() throws Exception {
        long child = log.get("child").asLong();
        assertThat(stasis("evt.type=execveat and evt.dir=>", "%thread.tid %evt.arg.dirfd %evt.arg.flags"))
                .containsExactly(child + " " + log.get("fd").asLong() + " AT_EMPTY_PATH");
    }

    @Test
    void theProgramIsNamedAsTheKernelNamedIt() throws Exception {
        long child = log.get("child").asLong();
        // Linux 6.14 and later: the file's name ("memfd:stasis-payload", cut to 15); before: the fd number
        assertThat(kernelComm).as("the kernel's name for a program run from fd %s", log.get("fd"))
                .isIn(log.get("fd").asText(), "memfd:stasis-pa");
        assertThat(stasis("evt.type=execveat and evt.dir=<", "%thread.tid %proc.name %evt.res"))
                .containsExactly(child + " " + kernelComm + " SUCCESS");
        // what the shell did afterwards (reading its comm, writing the file) is the same process's
        assertThat(stasis("thread.tid=" + child + " and evt.type=write and evt.dir=<", "%proc.name"))
                .isNotEmpty().allMatch(kernelComm::equals);
    }
}
