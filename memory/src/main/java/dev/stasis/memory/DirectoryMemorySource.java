package dev.stasis.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A CRIU image directory (what {@code criu dump -D DIR} writes), read in place. */
public final class DirectoryMemorySource implements MemorySource {
    private final Path dir;
    private final List<FileChannel> open = new ArrayList<>();

    public DirectoryMemorySource(Path dir) {
        if (!Files.isDirectory(dir)) throw new MemoryException("not a directory: " + dir);
        this.dir = dir;
    }

    @Override
    public List<String> names() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Path> resolve(String name) {
        if (name.contains("/") || name.startsWith(".")) return Optional.empty();
        Path p = dir.resolve(name);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public Optional<byte[]> image(String name) throws IOException {
        Optional<Path> p = resolve(name);
        return p.isPresent() ? Optional.of(Files.readAllBytes(p.get())) : Optional.empty();
    }

    @Override
    public synchronized Optional<PageFile> pages(String name) throws IOException {
        Optional<Path> p = resolve(name);
        if (p.isEmpty()) return Optional.empty();
        FileChannel ch = FileChannel.open(p.get(), StandardOpenOption.READ);
        open.add(ch);
        long size = ch.size();
        return Optional.of(new PageFile() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public int read(long position, ByteBuffer dst) throws IOException {
                return ch.read(dst, position);
            }
        });
    }

    @Override
    public synchronized void close() throws IOException {
        for (FileChannel ch : open) ch.close();
        open.clear();
    }
}
