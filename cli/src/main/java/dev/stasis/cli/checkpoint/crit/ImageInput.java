package dev.stasis.cli.checkpoint.crit;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.FileKinds;
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
                    return ImageReader.read(in);
                } catch (ImageFormatException e) {
                    throw new ImageFormatException(notAnImage(arg, p, e), e);
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

    /**
     * What a file that is no CRIU image is, named by its first bytes, so that the message says which
     * command reads it; a damaged image keeps the reader's message (offset and cause), with the file named.
     */
    private static String notAnImage(String arg, Path p, ImageFormatException e) {
        byte[] head;
        try (InputStream in = Files.newInputStream(p)) {
            head = in.readNBytes(512);
        } catch (IOException unreadable) {
            return arg + ": " + e.getMessage();
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x0a && (head[1] & 0xff) == 0x0d && (head[2] & 0xff) == 0x0d && (head[3] & 0xff) == 0x0a) {
            return arg + " is a syscall capture (.scap), not a CRIU image: read it with `stasis capture`";
        }
        if (head.length >= 4 && ((head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 || (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b)) {
            // zstd or gzip: the archive sniffer knows what is inside (a compressed capture, a damaged archive)
            try {
                CheckpointArchive.sniff(p);
            } catch (dev.stasis.checkpoint.archive.ArchiveException | IOException what) {
                return arg + ": " + what.getMessage().replace(p.getFileName() + " is a ", "a ") + " (not a CRIU image)";
            }
            return arg + " is compressed, not a CRIU image";
        }
        if (FileKinds.isText(head)) return arg + " is a text file, not a CRIU image";
        return arg + ": " + e.getMessage();
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
