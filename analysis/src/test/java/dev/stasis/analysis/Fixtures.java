package dev.stasis.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.analysis.report.Report;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Ground truth read independently of the code under test: crit's JSON for the
 * fixtures, and members of the archives read here with commons-compress. Reports
 * are cached per fixture so each archive is analysed once per test run.
 */
public final class Fixtures {
    private static final Map<String, Report> REPORTS = new HashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    public static synchronized Report report(String name) {
        return REPORTS.computeIfAbsent(name, n -> Analyzer.analyze(TestData.checkpoint(n), AnalysisOptions.defaults(), Progress.NONE));
    }

    public static JsonNode crit(String archive, String image) {
        try {
            return JSON.readTree(TestData.checkpoint("crit").resolve(archive).resolve(image + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "10.88.0.1" from crit's u32 address word (network byte order stored little-endian). */
    public static String ipv4(long word) {
        return (word & 0xff) + "." + ((word >> 8) & 0xff) + "." + ((word >> 16) & 0xff) + "." + ((word >> 24) & 0xff);
    }

    /** The bytes of a member of a member: e.g. ("rootfs-diff.tar", "tmp/perlbot.pl"). */
    public static byte[] nested(String archive, String outerMember, String innerMember) throws IOException {
        try (TarArchiveInputStream outer = open(TestData.checkpoint(archive))) {
            TarArchiveEntry e;
            while ((e = outer.getNextEntry()) != null) {
                if (!strip(e.getName()).equals(outerMember)) continue;
                TarArchiveInputStream inner = new TarArchiveInputStream(outer);
                TarArchiveEntry i;
                while ((i = inner.getNextEntry()) != null) {
                    if (strip(i.getName()).equals(innerMember)) return inner.readAllBytes();
                }
            }
        }
        throw new IOException(innerMember + " not found in " + archive + ":" + outerMember);
    }

    /** The bytes of one member of a fixture archive: e.g. ("fileless-miner.tar.gz", "checkpoint/pages-5.img"). */
    public static byte[] member(String archive, String name) throws IOException {
        try (TarArchiveInputStream in = open(TestData.checkpoint(archive))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (strip(e.getName()).equals(name)) return in.readAllBytes();
            }
        }
        throw new IOException(name + " not found in " + archive);
    }

    /** Unpacks a fixture archive's files into {@code dir} (a test's temporary directory), as an unpacked checkpoint. */
    public static void unpack(String archive, Path dir) throws IOException {
        try (TarArchiveInputStream in = open(TestData.checkpoint(archive))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.isFile()) continue;
                Path target = dir.resolve(strip(e.getName())).normalize();
                if (!target.startsWith(dir)) throw new IOException("fixture member outside the directory: " + e.getName());
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
    }

    private static String strip(String n) {
        return n.startsWith("./") ? n.substring(2) : n;
    }

    private static TarArchiveInputStream open(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        String n = p.getFileName().toString();
        if (n.endsWith(".zst")) in = new ZstdCompressorInputStream(in);
        else if (n.endsWith(".gz")) in = new GzipCompressorInputStream(in);
        return new TarArchiveInputStream(in);
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
