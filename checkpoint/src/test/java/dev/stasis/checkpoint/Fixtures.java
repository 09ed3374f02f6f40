package dev.stasis.checkpoint;

import dev.stasis.testsupport.ProjectFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** The bundled real checkpoints, crit's ground truth for them, and builders for synthetic archives. */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    public static Path root() {
        return ProjectFiles.root();
    }

    public static Path checkpoint(String name) {
        return ProjectFiles.checkpoint(name);
    }

    /** crit decode's JSON for one image of one archive (CRIU 4.2.1, made outside stasis). */
    public static JsonNode crit(String archive, String image) {
        try {
            return JSON.readTree(checkpoint("crit").resolve(archive).resolve(image + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String transcript(String name) {
        try {
            return Files.readString(checkpoint(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tar member to write: a file, or (with a link target) a symlink/hard link. */
    public record Member(String name, byte[] data, byte linkFlag, String linkTarget, Long declaredSize) {
        public static Member file(String name, byte[] data) {
            return new Member(name, data, TarArchiveEntry.LF_NORMAL, null, null);
        }

        public static Member file(String name, String text) {
            return file(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public static Member symlink(String name, String target) {
            return new Member(name, new byte[0], TarArchiveEntry.LF_SYMLINK, target, null);
        }

        public static Member hardlink(String name, String target) {
            return new Member(name, new byte[0], TarArchiveEntry.LF_LINK, target, null);
        }

        public static Member dir(String name) {
            return new Member(name.endsWith("/") ? name : name + "/", new byte[0], TarArchiveEntry.LF_DIR, null, null);
        }
    }

    /** A plain tar of the members, in order. */
    public static byte[] tar(Iterable<Member> members) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Member m : members) {
                TarArchiveEntry e = new TarArchiveEntry(m.name(), m.linkFlag(), true);
                if (m.linkTarget() != null) e.setLinkName(m.linkTarget());
                if (m.linkFlag() == TarArchiveEntry.LF_NORMAL) e.setSize(m.data().length);
                e.setMode(m.linkFlag() == TarArchiveEntry.LF_DIR ? 040755 : 0100644);
                tar.putArchiveEntry(e);
                tar.write(m.data());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Members of a real archive, read with the system's tar (an independent reader) into memory. */
    public static Map<String, byte[]> members(Path archive) {
        try (var a = dev.stasis.checkpoint.archive.CheckpointArchive.open(archive)) {
            Map<String, byte[]> out = new java.util.LinkedHashMap<>();
            for (var m : a.members()) if (m.isFile()) out.put(m.name(), a.read(m.name()));
            return out;
        }
    }
}
