package dev.stasis.checkpoint.criu;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point for decoding CRIU images (format v1.1: magic words, then
 * length-prefixed protobuf entries until end of file). Malformed input
 * raises {@link ImageFormatException} with the byte offset of the problem.
 */
public final class ImageReader {
    private ImageReader() {}

    /** Reads a whole image into memory. The stream is read to its end but not closed. */
    public static CriuImage read(InputStream in) {
        ImageWalker walker = walk(in);
        List<ImageEntry> entries = new ArrayList<>();
        while (walker.hasNext()) entries.add(walker.next());
        return new CriuImage(walker.type(), entries);
    }

    public static CriuImage read(byte[] image) {
        return read(new ByteArrayInputStream(image));
    }

    /**
     * Reads the header now and returns a walker that decodes one entry at a
     * time, for images too big to hold at once. The caller closes the stream.
     */
    public static ImageWalker walk(InputStream in) {
        return new ImageWalker(in);
    }

    /** Only the kind of image, from its first 8 bytes. */
    public static ImageType sniff(byte[] head) {
        return new ImageWalker(new ByteArrayInputStream(head)).type();
    }
}
