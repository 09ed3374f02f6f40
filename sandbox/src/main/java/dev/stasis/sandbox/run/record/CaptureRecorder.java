package dev.stasis.sandbox.run.record;

import dev.stasis.capture.record.RecordException;
import dev.stasis.capture.record.RecordRequest;
import dev.stasis.capture.record.RecordingSummary;
import dev.stasis.capture.record.SyscallRecorder;
import dev.stasis.sandbox.run.SandboxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The capture module's recorder: the restored processes' system calls as a .scap file that
 * {@code stasis capture ...} and {@code sysdig -r} read. Read/write data is kept up to 256 bytes
 * per call, enough to see a bot's commands and answers in the capture too.
 */
public final class CaptureRecorder implements Recorder {
    static final int SNAPLEN = 256;

    static boolean available() {
        return SyscallRecorder.available() != null;
    }

    @Override
    public String name() {
        return "stasis capture recorder (strace to scap)";
    }

    @Override
    public String fileName() {
        return "syscalls.scap";
    }

    @Override
    public Recording start(List<Long> pids, Path output) {
        dev.stasis.capture.record.Recording r;
        try {
            r = SyscallRecorder.start(new RecordRequest(pids, output, SNAPLEN, Optional.empty()));
        } catch (RecordException e) {
            throw new SandboxException("cannot record the restored processes: " + e.getMessage(), e);
        }
        return new Recording() {
            private Summary summary;

            @Override
            public long pid() {
                return -1; // strace runs as this JVM's child and ends when the restored processes are removed
            }

            @Override
            public synchronized Summary stop() {
                if (summary == null) {
                    RecordingSummary s = r.stop();
                    summary = new Summary(s.events(), s.processes(), s.duration(), s.output(), "scap");
                }
                return summary;
            }
        };
    }
}
