package dev.stasis.cli.daemon;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** One of the command's output streams, sent to the client as frames of one type. */
final class FrameOutputStream extends OutputStream {
    private final DataOutputStream socket;
    private final int type;

    FrameOutputStream(DataOutputStream socket, int type) {
        this.socket = socket;
        this.type = type;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        // stdout and stderr share the socket, and a progress bar writes from a thread of its own
        synchronized (socket) {
            while (len > 0) {
                int n = Math.min(len, DaemonProtocol.MAX_FRAME);
                socket.writeByte(type);
                socket.writeInt(n);
                socket.write(b, off, n);
                off += n;
                len -= n;
            }
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (socket) {
            socket.flush();
        }
    }
}
