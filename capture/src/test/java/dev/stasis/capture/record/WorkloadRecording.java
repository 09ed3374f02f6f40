package dev.stasis.capture.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The recording tests' common steps: a python workload that waits on a fifo is recorded from
 * the moment it is told to go until it ends (read it back with {@code TestData.printed}).
 */
final class WorkloadRecording {
    private WorkloadRecording() {}

    /**
     * Records {@code workload} (python3, blocked opening {@code fifo}) into {@code capture}: waits until
     * it blocks, attaches, writes "go" to the fifo and stops once the workload and strace have ended.
     */
    static RecordingSummary record(Process workload, Path fifo, Path capture) throws Exception {
        waitUntilBlockedOnTheFifo(workload.pid());
        try (Recording rec = SyscallRecorder.start(new RecordRequest(List.of(workload.pid()), capture, 80, Optional.empty()))) {
            try (OutputStream go = Files.newOutputStream(fifo)) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(workload.waitFor(60, TimeUnit.SECONDS)).as("workload finished").isTrue();
            assertThat(rec.await(Duration.ofSeconds(30))).as("strace ended with the workload").isTrue();
            return rec.stop();
        }
    }

    /** The workload is python3 (possibly after a shell exec'd into it), blocked opening the fifo (openat = 257). */
    private static void waitUntilBlockedOnTheFifo(long pid) throws Exception {
        for (int i = 0; i < 1000; i++) {
            String comm = read(Path.of("/proc/" + pid + "/comm"));
            String sys = read(Path.of("/proc/" + pid + "/syscall"));
            if (comm != null && comm.strip().equals("python3") && sys != null && sys.startsWith("257 ")) {
                return;
            }
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
}
