package dev.stasis.sandbox.run.sinkhole;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Answers every DNS query with the sinkhole's own address (A records; other types get an empty
 * answer), so whatever name the restored processes look up leads back into the cage. Each
 * question is written to the transcript.
 */
final class Dns implements Runnable {
    private final DatagramSocket socket;
    private final byte[] answer;
    private final Transcript transcript;

    Dns(DatagramSocket socket, InetAddress answer, Transcript transcript) {
        this.socket = socket;
        this.answer = answer.getAddress();
        this.transcript = transcript;
    }

    @Override
    public void run() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                byte[] reply = reply(buf, p.getLength(), answer);
                String flow = p.getAddress().getHostAddress() + ":" + p.getPort() + "->dns";
                transcript.event(flow, "dns " + question(buf, p.getLength()));
                if (reply != null) socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) return;
            } catch (RuntimeException e) {
                // a malformed query gets no answer
            }
        }
    }

    /** The first question as "name type"; "?" when unreadable. */
    static String question(byte[] q, int len) {
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (i < len && q[i] != 0) {
            int l = q[i] & 0xff;
            if (l > 63 || i + 1 + l > len) return "?";
            if (!name.isEmpty()) name.append('.');
            for (int k = 1; k <= l; k++) {
                int c = q[i + k] & 0xff;
                name.append(c > 0x20 && c < 0x7f ? (char) c : '?');
            }
            i += l + 1;
        }
        int type = i + 2 < len ? ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff) : 0;
        return name + " type " + type;
    }

    /** The answer to a one-question query: the same id and question, one A record for type A/ANY. */
    static byte[] reply(byte[] q, int len, byte[] address) {
        if (len < 12 || (q[2] & 0x80) != 0) return null; // not a query
        int i = 12;
        while (i < len && q[i] != 0) i += (q[i] & 0xff) + 1;
        int end = i + 5; // zero label, type, class
        if (end > len) return null;
        int type = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
        boolean a = type == 1 || type == 255;
        ByteBuffer b = ByteBuffer.allocate(end + (a ? 16 : 0));
        b.put(q, 0, 2).putShort((short) 0x8180).putShort((short) 1).putShort((short) (a ? 1 : 0)).putShort((short) 0).putShort((short) 0);
        b.put(q, 12, end - 12);
        if (a) b.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4).put(address);
        return b.array();
    }
}
