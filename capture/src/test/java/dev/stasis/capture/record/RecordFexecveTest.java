package dev.stasis.capture.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.capture.filter.TestData;
import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            capture = tmp.resolve("fexecve.scap");
            WorkloadRecording.record(w, fifo, capture);
        } finally {
            w.destroyForcibly();
        }
        assertThat(Files.readString(tmp.resolve("workload.out"))).isEmpty();
        log = new ObjectMapper().readTree(tmp.resolve("log.json").toFile());
        kernelComm = Files.readString(tmp.resolve("comm.txt")).strip();
    }

    private List<String> stasis(String filter, String fields) throws IOException {
        return TestData.printed(capture, Filter.compile(filter), OutputFormat.compile(fields));
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
