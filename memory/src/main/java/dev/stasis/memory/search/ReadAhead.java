package dev.stasis.memory.search;

import dev.stasis.memory.MemoryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reads a channel ahead on a second thread into a small ring of buffers, so that decompressing
 * a page image (the reading) and scanning it (the caller) run on two cores at once. Each buffer
 * handed out holds the next {@code min(chunk, left)} bytes at {@code [offset, offset + n)}; the
 * first {@code offset} bytes are the caller's (it copies the tail of the previous chunk there).
 */
final class ReadAhead implements AutoCloseable {
    /** Two held by the caller (current and previous chunk), one being filled, one waiting. */
    private static final int BUFFERS = 4;
    private static final ByteBuffer STOP = ByteBuffer.allocate(0);

    private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS + 1);
    /** Filled buffers in order, or the Throwable that ended the reading. */
    private final ArrayBlockingQueue<Object> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Thread thread;
    private volatile boolean closed;

    ReadAhead(ReadableByteChannel in, int offset, int chunk, long total, String what) {
        for (int i = 0; i < BUFFERS; i++) free.add(ByteBuffer.allocate(offset + chunk).order(ByteOrder.LITTLE_ENDIAN));
        thread = new Thread(() -> fill(in, offset, chunk, total, what), "stasis-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    private void fill(ReadableByteChannel in, int offset, int chunk, long total, String what) {
        long pos = 0;
        try {
            while (pos < total) {
                ByteBuffer b = free.take();
                if (closed) return;
                int n = (int) Math.min(chunk, total - pos);
                ByteBuffer dst = b.duplicate().position(offset).limit(offset + n);
                while (dst.hasRemaining()) {
                    if (in.read(dst) < 0) throw new MemoryException(what + " ends at " + (pos + dst.position() - offset) + " bytes, expected " + total);
                    if (closed) return;
                }
                pos += n;
                filled.add(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            filled.offer(t);
        }
    }

    /** The next chunk, waiting for it if need be; the reader's failure is rethrown here, on the caller's thread. */
    ByteBuffer next() {
        Object o;
        try {
            o = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemoryException("interrupted while reading ahead");
        }
        return switch (o) {
            case ByteBuffer b -> b;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case IOException e -> throw new UncheckedIOException(e);
            default -> throw new IllegalStateException(String.valueOf(o));
        };
    }

    /** Hands a buffer the caller no longer needs back to the reader. */
    void release(ByteBuffer b) {
        if (b != null) free.offer(b);
    }

    /** Stops the reader (it finishes the read in progress) and waits for it, so the channel can be closed after. */
    @Override
    public void close() {
        closed = true;
        free.offer(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
