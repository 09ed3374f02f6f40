package dev.stasis.cli.capture;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.Compression;
import dev.stasis.checkpoint.archive.FileKinds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What a file that is not a capture is instead, for the error message: the
 * usual mix-up is a checkpoint archive given to a capture command. Asked only
 * after the capture reader refused the file's first block.
 */
final class WrongKind {
    private WrongKind() {}

    static Optional<String> of(Path file) {
        try {
            Compression c = CheckpointArchive.sniff(file);
            if (c != Compression.GZIP || gzippedTar(file)) {
                return Optional.of("a checkpoint archive, not a syscall capture: read it with `stasis inspect` or `stasis analyze`");
            }
            return Optional.empty();
        } catch (RuntimeException | IOException notAnArchive) {
            return text(file) ? Optional.of("a text file, not a syscall capture") : Optional.empty();
        }
    }

    private static boolean gzippedTar(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] head = in.readNBytes(262);
            return head.length == 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        }
    }

    private static boolean text(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return FileKinds.isText(in.readNBytes(512));
        } catch (IOException e) {
            return false;
        }
    }
}
