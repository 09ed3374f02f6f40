package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.TcpStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * The state CRIU saved for one established TCP connection ({@code tcp-stream-<inode hex>.img}):
 * the sequence numbers of both queues, the window scales and MSS, and the bytes in flight
 * (receive queue, then send queue). What is needed to rebuild either end of the connection
 * with TCP repair, or to read what was in flight.
 *
 * @param inqSeq   the socket's next expected receive sequence number (after the queued bytes)
 * @param outqSeq  the socket's next send sequence number (after all queued bytes)
 * @param sndWnd   the peer's window as the socket saw it, in bytes (0 when CRIU did not save it)
 * @param rcvWnd   the window the socket offered, in bytes (0 when CRIU did not save it)
 * @param unsentLength bytes of the send queue never sent (CRIU's unsq_len; 0 when absent)
 */
public record TcpStreamState(long inode, long inqSeq, long outqSeq, int sndWscale, int rcvWscale, int mssClamp,
                             int optMask, long timestamp, long sndWnd, long rcvWnd, byte[] inQueue, byte[] outQueue,
                             int unsentLength) {
    public TcpStreamState {
        inQueue = inQueue.clone();
        outQueue = outQueue.clone();
    }

    /** The name CRIU gives the image of the socket with this inode. */
    public static String imageName(long inode) {
        return "tcp-stream-" + Long.toHexString(inode) + ".img";
    }

    /** The saved state of the socket with this inode, or empty when the checkpoint holds none. */
    public static Optional<TcpStreamState> read(ImageSource images, long inode) {
        Optional<CriuImage> img = images.image(imageName(inode));
        if (img.isEmpty() || img.get().entries().isEmpty()) return Optional.empty();
        ImageEntry e = img.get().entries().getFirst();
        if (!(e.message() instanceof TcpStream.tcp_stream_entry t)) {
            throw new ImageFormatException(imageName(inode) + ": not a tcp-stream entry");
        }
        byte[] data = e.extra() == null ? new byte[0] : e.extra();
        int in = (int) Math.min(Integer.toUnsignedLong(t.getInqLen()), data.length);
        int out = (int) Math.min(Integer.toUnsignedLong(t.getOutqLen()), data.length - in);
        return Optional.of(new TcpStreamState(inode, Integer.toUnsignedLong(t.getInqSeq()), Integer.toUnsignedLong(t.getOutqSeq()),
                t.getSndWscale(), t.hasRcvWscale() ? t.getRcvWscale() : 0, t.getMssClamp(), t.getOptMask(),
                t.hasTimestamp() ? Integer.toUnsignedLong(t.getTimestamp()) : 0,
                t.hasSndWnd() ? Integer.toUnsignedLong(t.getSndWnd()) : 0, t.hasRcvWnd() ? Integer.toUnsignedLong(t.getRcvWnd()) : 0,
                Arrays.copyOfRange(data, 0, in), Arrays.copyOfRange(data, in, in + out), t.hasUnsqLen() ? t.getUnsqLen() : 0));
    }

    /** The first byte of the send queue that the peer has not acknowledged (CRIU re-sends from here on restore). */
    public long sendUnacknowledged() {
        return (outqSeq - outQueue.length) & 0xffffffffL;
    }

    @Override public byte[] inQueue() { return inQueue.clone(); }
    @Override public byte[] outQueue() { return outQueue.clone(); }
}
