package dev.stasis.capture.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.testsupport.GroundTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one line and leaves no file behind; a stopped recording leaves the process running. */
class RecorderErrorsTest {
    @TempDir
    Path tmp;

    private void noFileLeft() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.filter(p -> p.getFileName().toString().contains("scap")).toList()).isEmpty();
        }
    }

    @Test
    void processThatDoesNotExist() throws Exception {
        GroundTruth.require(SyscallRecorder.available() != null, "strace is not installed");
        // pid_max is at most 2^22 on Linux: this pid cannot exist
        assertThatThrownBy(() -> SyscallRecorder.start(new RecordRequest(List.of(4_194_305L), tmp.resolve("a.scap"))))
                .isInstanceOf(RecordException.class).hasMessage("no such process: 4194305");
        noFileLeft();
    }

    @Test
    void itselfIsRefused() throws Exception {
        GroundTruth.require(SyscallRecorder.available() != null, "strace is not installed");
        long self = ProcessHandle.current().pid();
        assertThatThrownBy(() -> SyscallRecorder.start(new RecordRequest(List.of(self), tmp.resolve("a.scap"))))
                .isInstanceOf(RecordException.class).hasMessage("refusing to record stasis itself (pid " + self + ")");
        noFileLeft();
    }

    @Test
    void outputInADirectoryThatDoesNotExist() throws Exception {
        GroundTruth.require(SyscallRecorder.available() != null, "strace is not installed");
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertThatThrownBy(() -> SyscallRecorder.start(new RecordRequest(List.of(sleep.pid()), tmp.resolve("no/a.scap"))))
                    .isInstanceOf(RecordException.class).hasMessageStartingWith("cannot write " + tmp.resolve("no/a.scap"));
        } finally {
            sleep.destroyForcibly();
        }
        noFileLeft();
    }

    @Test
    void processAnotherTracerHolds() throws Exception {
        GroundTruth.require(SyscallRecorder.available() != null, "strace is not installed");
        Process traced = new ProcessBuilder("strace", "-o", "/dev/null", "sleep", "30").start();
        try {
            long sleep = waitForChild(traced.pid());
            assertThatThrownBy(() -> SyscallRecorder.start(new RecordRequest(List.of(sleep), tmp.resolve("a.scap"))))
                    .isInstanceOf(RecordException.class)
                    .hasMessage("cannot trace process " + sleep + ": already traced by process " + traced.pid());
        } finally {
            traced.destroyForcibly();
        }
        noFileLeft();
    }

    @Test
    void stoppingDetachesAndTheProcessRunsOn() throws Exception {
        GroundTruth.require(SyscallRecorder.available() != null, "strace is not installed");
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Path out = tmp.resolve("a.scap");
            RecordingSummary s;
            try (Recording r = SyscallRecorder.start(new RecordRequest(List.of(sleep.pid()), out, 80, Optional.empty()))) {
                assertThat(Files.readString(Path.of("/proc/" + sleep.pid() + "/status"))).contains("TracerPid:\t" + r.tracerPid());
                s = r.stop();
                assertThat(r.stop()).isSameAs(s); // idempotent
            }
            assertThat(sleep.isAlive()).isTrue();
            assertThat(Files.readString(Path.of("/proc/" + sleep.pid() + "/status"))).contains("TracerPid:\t0\n");
            assertThat(Files.size(out)).isPositive();
            assertThat(s.output()).isEqualTo(out);
            try (Stream<Path> files = Files.list(tmp)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("a.scap");
            }
        } finally {
            sleep.destroyForcibly();
        }
    }

    private static long waitForChild(long parent) throws Exception {
        for (int i = 0; i < 500; i++) {
            Optional<ProcessHandle> c = ProcessHandle.of(parent).flatMap(p -> p.children().findFirst());
            String status = c.isEmpty() ? "" : read(Path.of("/proc/" + c.get().pid() + "/status"));
            if (status.startsWith("Name:\tsleep\n") && status.matches("(?s).*TracerPid:\\t[1-9].*")) {
                return c.get().pid();
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("strace did not start its child");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
