package dev.stasis.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few bytes the client and the background JVM exchange over their UNIX
 * socket. The client sends one request (magic, version, whether its user sits
 * at a terminal, its working directory, the environment variables of
 * {@code CommandTable.PASSED_ENV} that are set, the arguments; every string a
 * 32-bit length and UTF-8 bytes); the JVM answers with frames, each a type byte
 * and a length-prefixed payload: first an accepted frame, then the command's
 * output, ending with an exit frame (whose length field is the exit code) or a
 * busy frame. The Perl client's copy of these numbers is generated from this
 * class (LauncherScriptsTest).
 */
final class DaemonProtocol {
    static final int MAGIC = 0x53545344; // "STSD"
    static final int VERSION = 2;

    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int EXIT = 3;
    static final int BUSY = 4;
    /** Sent as soon as a request has been read: a client that does not see it soon gives up on this JVM. */
    static final int ACCEPTED = 5;

    /** Generous for a command line; a request beyond it is not from our client. */
    static final int MAX_ARGS = 4096;
    static final int MAX_FRAME = 1 << 20;

    /** The client's exit code when no background JVM answered: nothing was printed, the launcher runs the command itself. */
    static final int CLIENT_NO_ANSWER = 222;
    /** The client's exit code when the background JVM was busy (nothing printed). */
    static final int CLIENT_BUSY = 223;
    /** The client's exit code when the background JVM declined the command (nothing printed). */
    static final int CLIENT_DECLINED = 224;

    private DaemonProtocol() {}

    /** One client's command: where and for whom it runs, and its arguments. */
    record Request(boolean interactive, String cwd, Map<String, String> env, String[] args) {}

    /** One frame, sent at once. */
    static void writeFrame(DataOutputStream out, int type, byte[] payload) throws IOException {
        synchronized (out) {
            appendFrame(out, type, payload, 0, payload.length);
            out.flush();
        }
    }

    /**
     * One frame into the stream's buffer. Whole, under the stream's lock: stdout,
     * stderr and the control frames share the socket, and a progress bar writes
     * from a thread of its own.
     */
    static void appendFrame(DataOutputStream out, int type, byte[] b, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(len);
            out.write(b, off, len);
        }
    }

    /** The last frame: the exit code travels in the length field. */
    static void writeExit(DataOutputStream out, int exitCode) throws IOException {
        synchronized (out) {
            out.writeByte(EXIT);
            out.writeInt(exitCode);
            out.flush();
        }
    }

    static void writeRequest(DataOutputStream out, Request request) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeBoolean(request.interactive());
        writeString(out, request.cwd());
        out.writeInt(request.env().size());
        for (Map.Entry<String, String> e : request.env().entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        out.writeInt(request.args().length);
        for (String a : request.args()) writeString(out, a);
    }

    static Request readRequest(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) throw new IOException("not a stasis client, or another version");
        boolean interactive = in.readBoolean();
        String cwd = readString(in);
        int vars = in.readInt();
        if (vars < 0 || vars > MAX_ARGS) throw new IOException("bad variable count " + vars);
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < vars; i++) env.put(readString(in), readString(in));
        int n = in.readInt();
        if (n < 0 || n > MAX_ARGS) throw new IOException("bad argument count " + n);
        String[] args = new String[n];
        for (int i = 0; i < n; i++) args[i] = readString(in);
        return new Request(interactive, cwd, env, args);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_FRAME) throw new IOException("bad string length " + len);
        byte[] b = in.readNBytes(len);
        if (b.length != len) throw new EOFException("truncated request");
        return new String(b, StandardCharsets.UTF_8);
    }
}
