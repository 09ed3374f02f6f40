package dev.stasis.checkpoint.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An unpacked checkpoint (a directory holding {@code checkpoint/}, {@code config.dump}, ...) or a
 * bare CRIU image directory, which is presented as if it were the {@code checkpoint/} member of an
 * archive. Symbolic links are listed but never followed, so nothing outside the directory is read.
 */
final class DirectoryBackend implements Backend {
    private final Path root;
    private final String prefix;
    private final List<ArchiveMember> members = new ArrayList<>();
    private final Map<ArchiveMember, Path> paths = new IdentityHashMap<>();
    private final Map<Path, FileChannel> channels = new java.util.HashMap<>();

    DirectoryBackend(Path dir, ArchiveLimits limits) throws IOException {
        this.root = dir;
        boolean bareImages = Files.isRegularFile(dir.resolve("inventory.img"), LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(dir.resolve("pstree.img"), LinkOption.NOFOLLOW_LINKS);
        if (!bareImages) refuseFolderWithoutCheckpoint(dir);
        this.prefix = bareImages ? "checkpoint/" : "";
        if (bareImages) add(dir, "checkpoint", Files.readAttributes(dir, BasicFileAttributes.class));
        Files.walkFileTree(dir, EnumSet.noneOf(java.nio.file.FileVisitOption.class), 16, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(dir)) add(d, prefix + dir.relativize(d).toString().replace('\\', '/'), attrs);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                add(f, prefix + dir.relativize(f).toString().replace('\\', '/'), attrs);
                if (members.size() > limits.maxMembers()) throw new ArchiveException("directory holds more than " + limits.maxMembers() + " files");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * An unpacked checkpoint has {@code checkpoint/} or the container's dumps; bare CRIU images
     * were recognised by their pstree/inventory before this is asked. Anything else (typically the folder the archives are in) is named
     * as such, with the archives it holds, instead of failing later on a missing pstree.img.
     */
    private static void refuseFolderWithoutCheckpoint(Path dir) throws IOException {
        for (String marker : List.of("checkpoint", "config.dump", "spec.dump")) {
            if (Files.exists(dir.resolve(marker), LinkOption.NOFOLLOW_LINKS)) return;
        }
        List<String> archives;
        try (var files = Files.list(dir)) {
            archives = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".tar") || n.endsWith(".tar.zst") || n.endsWith(".tar.gz") || n.endsWith(".tgz"))
                    .sorted().toList();
        }
        String hint = archives.isEmpty() ? "give a checkpoint archive or an unpacked checkpoint"
                : "it holds " + archives.size() + (archives.size() == 1 ? " archive" : " archives") + ", e.g. " + dir.resolve(archives.get(0)) + ": give one";
        throw new ArchiveException(dir + " is a folder without a checkpoint (no checkpoint/, pstree.img or config.dump); " + hint);
    }

    private void add(Path p, String name, BasicFileAttributes attrs) {
        ArchiveMember.Type type = attrs.isDirectory() ? ArchiveMember.Type.DIRECTORY
                : attrs.isSymbolicLink() ? ArchiveMember.Type.SYMLINK
                : attrs.isRegularFile() ? ArchiveMember.Type.FILE : ArchiveMember.Type.OTHER;
        int mode = 0;
        try {
            mode = PosixPermissionBits.of(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions());
        } catch (IOException | UnsupportedOperationException ignored) {
            // mode stays 0: not every file system knows POSIX permissions
        }
        String link = null;
        if (type == ArchiveMember.Type.SYMLINK) {
            try {
                link = Files.readSymbolicLink(p).toString();
            } catch (IOException ignored) {
                link = "";
            }
        }
        ArchiveMember m = new ArchiveMember(MemberNames.normalise(name), type, type == ArchiveMember.Type.FILE ? attrs.size() : 0,
                mode, link, attrs.lastModifiedTime().toInstant());
        members.add(m);
        paths.put(m, p);
    }

    @Override
    public List<ArchiveMember> members() {
        return members;
    }

    @Override
    public InputStream open(ArchiveMember member) throws IOException {
        return content(member).stream();
    }

    @Override
    public synchronized ChannelContent content(ArchiveMember member) throws IOException {
        if (!member.isFile()) throw new ArchiveException(member.name() + " is not a regular file");
        Path p = paths.get(member);
        FileChannel ch = channels.get(p);
        if (ch == null) {
            ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            channels.put(p, ch);
        }
        return new ChannelContent(ch, 0, Math.min(member.size(), ch.size()));
    }

    @Override
    public synchronized void close() throws IOException {
        for (FileChannel ch : channels.values()) ch.close();
        channels.clear();
    }

    Path root() {
        return root;
    }
}
