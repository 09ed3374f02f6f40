package dev.stasis.analysis.load;

import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.ImageSource;
import dev.stasis.checkpoint.criu.images.TcpStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * The bytes in flight on a TCP connection when it was frozen (CRIU's
 * {@code tcp-stream-<inode>.img}: the receive queue, then the send queue). The checkpoint
 * model only gives their lengths and a 256-character preview
 * ({@code OpenFile.InetSocket}); rules and detectors match the whole queues, so this
 * adapter reads the image until the model offers them.
 */
final class TcpQueues {
    static final byte[] NONE = new byte[0];

    record Queues(byte[] in, byte[] out) {}

    private TcpQueues() {}

    /** Both queues; empty ones when CRIU saved none or the image cannot be read. */
    static Queues read(ImageSource images, long inode) {
        try {
            // CRIU names the image "tcp-stream-%x": the socket's inode in hex
            Optional<CriuImage> img = images.image("tcp-stream-" + Long.toHexString(inode) + ".img");
            if (img.isEmpty() || img.get().entries().isEmpty()) return new Queues(NONE, NONE);
            ImageEntry e = img.get().entries().getFirst();
            TcpStream.tcp_stream_entry t = (TcpStream.tcp_stream_entry) e.message();
            byte[] data = e.extra() == null ? NONE : e.extra();
            int in = (int) Math.min(Integer.toUnsignedLong(t.getInqLen()), data.length);
            return new Queues(Arrays.copyOfRange(data, 0, in), Arrays.copyOfRange(data, in, data.length));
        } catch (RuntimeException e) { // a damaged image hides only its queues
            return new Queues(NONE, NONE);
        }
    }
}
