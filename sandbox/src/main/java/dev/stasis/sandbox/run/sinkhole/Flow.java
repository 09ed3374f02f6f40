package dev.stasis.sandbox.run.sinkhole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * One TCP conversation with the restored container, either accepted by the sinkhole (a new
 * connection, redirected) or taken over (a restored connection, relayed by the repair helper).
 * Every byte both ways goes to the transcript; complete lines go to the operator.
 */
final class Flow {
    private final String name;
    private final Socket socket;
    private final Transcript transcript;
    private final OutputStream out;
    final boolean takenOver;

    Flow(String name, Socket socket, Transcript transcript, boolean takenOver) throws IOException {
        this.name = name;
        this.socket = socket;
        this.transcript = transcript;
        this.out = socket.getOutputStream();
        this.takenOver = takenOver;
    }

    String name() {
        return name;
    }

    synchronized void send(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            out.write(b);
            out.flush();
            transcript.bytes(name, Transcript.TO_SANDBOX, b, 0, b.length);
        } catch (IOException e) {
            transcript.event(name, "send failed: " + e.getMessage());
        }
    }

    /** Reads until the connection closes, handing each complete line (without CR LF) to {@code lines}. */
    void pump(BiConsumer<Flow, String> lines) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        try (InputStream in = socket.getInputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                transcript.bytes(name, Transcript.FROM_SANDBOX, buf, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        String l = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        lines.accept(this, l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
                    } else if (line.size() < 65536) {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            transcript.event(name, "read failed: " + e.getMessage());
        } finally {
            transcript.event(name, "closed");
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
