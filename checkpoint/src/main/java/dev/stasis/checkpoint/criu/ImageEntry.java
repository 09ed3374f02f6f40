package dev.stasis.checkpoint.criu;

import com.google.protobuf.Message;

/**
 * One entry of a CRIU image: the decoded protobuf message and the bytes that
 * followed it in the file when its kind carries some (pipe contents, socket
 * queues, TCP in/out queues, ghost file contents, ipc objects). {@code extra}
 * is null when the entry has none.
 */
public record ImageEntry(Message message, byte[] extra) {
    public ImageEntry(Message message) {
        this(message, null);
    }

    public boolean hasExtra() {
        return extra != null;
    }
}
