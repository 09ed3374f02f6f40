package dev.stasis.response.agent;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The one directory the agent may read and delete archives in (the kubelet's
 * checkpoint directory), accessed so that a name swapped under it cannot make
 * the agent read or delete anything else.
 *
 * <p>The directory is opened as a directory descriptor ({@link SecureDirectoryStream},
 * {@code openat(2)} underneath), and that descriptor is checked to be the
 * configured directory. The archive is then opened relative to it, by a single
 * name component, with {@code O_NOFOLLOW}: the kernel refuses a symbolic link at
 * that name, and with no {@code /} in the name there is no intermediate component
 * to swap. Every later read (hash, store) and the removal go through the same two
 * descriptors; nothing is opened by its path name again.
 *
 * <p>Refusals are deliberately vague to the caller ({@link Refused#GENERIC}): an
 * authenticated caller still must not learn which files exist outside the directory.
 * The precise reason goes to the agent's own log.
 */
public final class CheckpointDirectory {
    private final Path configured;
    private final Path real;

    private CheckpointDirectory(Path configured, Path real) {
        this.configured = configured;
        this.real = real;
    }

    /**
     * @param dir the configured directory; must be absolute (a relative one would depend on the
     *            agent's working directory)
     */
    public static CheckpointDirectory of(Path dir) {
        if (!dir.isAbsolute()) throw new IllegalArgumentException("the checkpoint directory must be an absolute path, not " + dir);
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint directory " + dir + " does not exist or cannot be read");
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) throw new IllegalArgumentException(dir + " is not a directory");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(real)) {
            if (!(ds instanceof SecureDirectoryStream)) throw new IllegalArgumentException("this platform cannot open files relative to a directory descriptor");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open the checkpoint directory " + dir + ": " + e.getMessage());
        }
        return new CheckpointDirectory(dir.normalize(), real);
    }

    /** The directory as resolved at start. */
    public Path path() {
        return real;
    }

    /**
     * Opens the archive the caller names: either a bare file name, or an absolute path
     * whose parent is this directory (as configured or as resolved). Anything else, a
     * link, a non-regular file, a file with other hard links: {@link Refused}.
     */
    public Archive open(String requested) {
        String name = nameOf(requested);
        SecureDirectoryStream<Path> dirFd = openDirectory();
        boolean ok = false;
        try {
            Path entry = Path.of(name);
            BasicFileAttributes before = dirFd.getFileAttributeView(entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (!before.isRegularFile()) throw new Refused("'" + name + "' is not a regular file (a link, directory or device)");
            FileChannel ch = (FileChannel) dirFd.newByteChannel(entry, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            try {
                // The JDK has no fstat for a channel; size() is fstat's st_size of this descriptor. The name is
                // looked at again only to refuse when it changed while we opened it (swap, truncation).
                BasicFileAttributes after = dirFd.getFileAttributeView(entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
                long size = ch.size();
                if (!after.isRegularFile() || !Objects.equals(before.fileKey(), after.fileKey()) || size != before.size() || size != after.size())
                    throw new Refused("'" + name + "' changed while it was opened");
                Object links = Files.getAttribute(real.resolve(name), "unix:nlink", LinkOption.NOFOLLOW_LINKS);
                if (!(links instanceof Integer n) || n != 1) throw new Refused("'" + name + "' has other hard links");
                Archive a = new Archive(dirFd, ch, entry, real.resolve(name), after.fileKey(), size, after.lastModifiedTime().toInstant());
                ok = true;
                return a;
            } finally {
                if (!ok) ch.close();
            }
        } catch (IOException e) {
            throw new Refused("cannot open '" + name + "': " + e.getClass().getSimpleName());
        } finally {
            if (!ok) closeQuietly(dirFd);
        }
    }

    /**
     * A single name inside this directory, or refused. Relative paths with more than one
     * component are refused rather than resolved against the working directory.
     */
    String nameOf(String requested) {
        if (requested == null || requested.isEmpty() || requested.indexOf('\0') >= 0) throw new Refused("empty or NUL in the path");
        String name;
        if (requested.startsWith("/")) {
            Path p = Path.of(requested);
            Path parent = p.getParent();
            if (parent == null || !p.normalize().equals(p) || !(parent.equals(configured) || parent.equals(real)))
                throw new Refused("'" + requested + "' is not directly inside " + configured);
            name = p.getFileName().toString();
        } else {
            name = requested;
        }
        if (name.contains("/") || name.equals(".") || name.equals("..")) throw new Refused("'" + requested + "' is not a single file name");
        return name;
    }

    /** A descriptor for the directory, checked to be the directory resolved at start. */
    private SecureDirectoryStream<Path> openDirectory() {
        SecureDirectoryStream<Path> ds;
        try {
            ds = (SecureDirectoryStream<Path>) Files.newDirectoryStream(real);
        } catch (IOException e) {
            throw new Refused("cannot open the checkpoint directory: " + e.getClass().getSimpleName());
        }
        try {
            BasicFileAttributes opened = ds.getFileAttributeView(BasicFileAttributeView.class).readAttributes();   // fstat(dirfd)
            BasicFileAttributes named = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // Checked after opening: the descriptor is the directory that the path names now, and that path
            // has no link in it now. A swap of a parent and back in between needs root on the node.
            if (!opened.isDirectory() || !Objects.equals(opened.fileKey(), named.fileKey()) || !real.toRealPath().equals(real))
                throw new Refused("the checkpoint directory was replaced");
            return ds;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ds);
            if (e instanceof Refused r) throw r;
            throw new Refused("cannot check the checkpoint directory: " + e.getClass().getSimpleName());
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }

    /**
     * An opened archive: its descriptor, and the directory descriptor it was opened from.
     * What the agent observed of it comes from these, not from the caller.
     */
    public static final class Archive implements Closeable {
        private final SecureDirectoryStream<Path> dir;
        private final FileChannel channel;
        private final Path entry;
        private final Path path;
        private final Object fileKey;
        private final long size;
        private final Instant modified;

        Archive(SecureDirectoryStream<Path> dir, FileChannel channel, Path entry, Path path, Object fileKey, long size, Instant modified) {
            this.dir = dir;
            this.channel = channel;
            this.entry = entry;
            this.path = path;
            this.fileKey = fileKey;
            this.size = size;
            this.modified = modified;
        }

        /** The descriptor; read it from position 0 as often as needed. */
        public FileChannel channel() {
            return channel;
        }

        public Path path() {
            return path;
        }

        public String name() {
            return entry.toString();
        }

        public long size() {
            return size;
        }

        public Instant modified() {
            return modified;
        }

        /**
         * Removes the directory entry, through the directory descriptor, only if it is still the
         * file that was read (same inode, same size). False when it was not removed.
         */
        public boolean remove() throws IOException {
            BasicFileAttributes now;
            try {
                now = dir.getFileAttributeView(entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
            } catch (java.nio.file.NoSuchFileException e) {
                return false;
            }
            if (!now.isRegularFile() || !Objects.equals(now.fileKey(), fileKey) || now.size() != size || channel.size() != size) return false;
            dir.deleteFile(entry);
            return true;
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                dir.close();
            }
        }
    }

    /** The archive cannot be collected. {@link #getMessage()} is for the agent's log only. */
    public static final class Refused extends RuntimeException {
        /** What the caller is told, whatever the reason. */
        public static final String GENERIC = "no collectable checkpoint archive at that path";

        Refused(String detail) {
            super(detail, null, false, false);
        }
    }
}
