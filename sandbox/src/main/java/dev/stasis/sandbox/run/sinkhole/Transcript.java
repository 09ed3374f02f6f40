package dev.stasis.sandbox.run.sinkhole;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The sinkhole's record of every byte, one JSON object per line:
 * {@code {"time", "flow", "direction", "text", "hex"}} where direction is {@code from_sandbox},
 * {@code to_sandbox} or {@code event} (a flow opened or closed, a DNS question). Each line is
 * flushed as written, so a killed run keeps what was seen.
 */
public final class Transcript implements AutoCloseable {
    public static final String FROM_SANDBOX = "from_sandbox";
    public static final String TO_SANDBOX = "to_sandbox";
    public static final String EVENT = "event";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OutputStream out;

    public Transcript(Path file) {
        try {
            this.out = Files.newOutputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void bytes(String flow, String direction, byte[] data, int off, int len) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", Instant.now().toString());
        o.put("flow", flow);
        o.put("direction", direction);
        o.put("text", printable(data, off, len));
        o.put("hex", HexFormat.of().formatHex(data, off, off + len));
        write(o);
    }

    public synchronized void event(String flow, String what) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", Instant.now().toString());
        o.put("flow", flow);
        o.put("direction", EVENT);
        o.put("text", what);
        write(o);
    }

    private void write(ObjectNode o) {
        try {
            out.write(JSON.writeValueAsBytes(o));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes as text: printable ASCII, CR, LF and TAB kept; anything else as a dot (the hex has it all). */
    static String printable(byte[] d, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = off; i < off + len; i++) {
            int b = d[i] & 0xff;
            sb.append(b >= 0x20 && b < 0x7f || b == '\n' || b == '\r' || b == '\t' ? (char) b : '.');
        }
        return new String(sb.toString().getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
