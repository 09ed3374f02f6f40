package dev.stasis.cli.daemon;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One of the command's output streams, sent to the client as frames of one
 * type, until the command has tried to read standard input: from then on its
 * output is dropped (the client will run the command elsewhere).
 */
final class FrameOutputStream extends OutputStream {
    private final DataOutputStream socket;
    private final int type;
    private final AtomicBoolean muted;
    private volatile boolean sentAny;

    FrameOutputStream(DataOutputStream socket, int type, AtomicBoolean muted) {
        this.socket = socket;
        this.type = type;
        this.muted = muted;
    }

    boolean sentAny() {
        return sentAny;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (muted.get() || len == 0) return;
        sentAny = true;
        for (int n; len > 0; off += n, len -= n) {
            n = Math.min(len, DaemonProtocol.MAX_FRAME);
            DaemonProtocol.appendFrame(socket, type, b, off, n);
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (socket) {
            socket.flush();
        }
    }
}
