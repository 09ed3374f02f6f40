package dev.stasis.checkpoint.criu;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Encodes entries back into the CRIU image format (the reverse of
 * {@link ImageReader}): header magics, then each entry's length, protobuf
 * and extra bytes with the padding its kind needs.
 */
public final class ImageWriter {
    private ImageWriter() {}

    public static byte[] write(CriuImage image) {
        return write(image.type(), image.entries());
    }

    public static byte[] write(ImageType type, List<ImageEntry> entries) {
        if (type.isRaw()) throw new IllegalArgumentException(type + " images are raw data, not entries");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (type != ImageType.INVENTORY) le32(out, type.isService() ? ImageType.IMG_SERVICE_MAGIC : ImageType.IMG_COMMON_MAGIC);
        le32(out, type.magic());
        for (ImageEntry e : entries) {
            byte[] pb = e.message().toByteArray();
            le32(out, pb.length);
            out.writeBytes(pb);
            if (e.extra() != null) {
                out.writeBytes(e.extra());
                int pad = switch (type.payload()) {
                    case IPC_SHM -> (4 - e.extra().length % 4) % 4;
                    case IPC_SEM -> (8 - e.extra().length % 8) % 8;
                    default -> 0;
                };
                out.writeBytes(new byte[pad]);
            }
        }
        return out.toByteArray();
    }

    private static void le32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
