package dev.stasis.cli.checkpoint.crit;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageFormatException;
import dev.stasis.checkpoint.criu.ImageReader;
import dev.stasis.cli.support.Invocation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The IMAGE argument of the crit commands: a file, "-" for standard input,
 * or ARCHIVE:MEMBER (e.g. {@code dump.tar.zst:checkpoint/core-1.img}) to read
 * one image out of a checkpoint archive without unpacking it.
 */
final class ImageInput {
    private ImageInput() {}

    static CriuImage read(String arg) {
        try {
            if (arg == null || arg.equals("-")) return ImageReader.read(new BufferedInputStream(System.in));
            Path p = Invocation.current().resolve(arg);
            if (Files.exists(p)) {
                if (Files.isDirectory(p)) throw new CheckpointException(arg + ": is a directory (use 'stasis crit x' for dump directories)");
                try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
                    return named(arg, ImageReader.read(in));
                }
            }
            int colon = arg.lastIndexOf(':');
            Path archive = colon > 0 ? Invocation.current().resolve(arg.substring(0, colon)) : null;
            if (archive != null && Files.isRegularFile(archive)) {
                return fromArchive(archive, arg.substring(colon + 1));
            }
            throw new CheckpointException("no such file: " + arg);
        } catch (IOException e) {
            throw new CheckpointException(arg + ": " + e.getMessage(), e);
        }
    }

    private static CriuImage named(String arg, CriuImage img) {
        return img;
    }

    private static CriuImage fromArchive(Path archive, String member) throws IOException {
        String name = member.startsWith("./") ? member.substring(2) : member;
        try (CheckpointArchive a = CheckpointArchive.open(archive)) {
            if (!a.has(name) && a.has(CheckpointArchive.IMAGE_DIR + "/" + name)) name = CheckpointArchive.IMAGE_DIR + "/" + name;
            if (!a.has(name)) throw new CheckpointException(archive + ": no member " + member);
            try (InputStream in = new BufferedInputStream(a.open(name), 1 << 16)) {
                return ImageReader.read(in);
            } catch (ImageFormatException e) {
                throw new ImageFormatException(name + ": " + e.getMessage(), e);
            }
        }
    }
}
