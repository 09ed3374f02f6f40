package dev.stasis.capture;

import dev.stasis.capture.state.CaptureReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** The shared captures and sysdig's golden outputs for them. */
public final class CaptureFixtures {
    private CaptureFixtures() {}

    public static Path root() {
        String prop = System.getProperty("stasis.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no testdata/ above the working directory");
        }
        return dir;
    }

    public static List<Path> captures() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("testdata/captures"))) {
            return s.filter(p -> p.toString().endsWith(".scap")).sorted().toList();
        }
    }

    public static String name(Path capture) {
        String n = capture.getFileName().toString();
        return n.substring(0, n.length() - ".scap".length());
    }

    /** sysdig's output kept in src/test/resources/golden/KIND/NAME.txt (see regen.sh there). */
    public static List<String> golden(String kind, String name) throws IOException {
        try (InputStream in = CaptureFixtures.class.getResourceAsStream("/golden/" + kind + "/" + name + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("no golden " + kind + "/" + name);
            }
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return s.isEmpty() ? List.of() : List.of(s.split("\n", -1)).subList(0, s.split("\n", -1).length - (s.endsWith("\n") ? 1 : 0));
        }
    }

    /** The uncompressed bytes of a capture. */
    public static byte[] plain(Path capture) throws IOException {
        byte[] raw = Files.readAllBytes(capture);
        if (raw.length > 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            }
        }
        return raw;
    }

    /** stasis' rendering of sysdig -r's default lines. */
    public static List<String> defaultLines(Path capture) throws IOException {
        List<String> out = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(capture)) {
            r.forEachVisible(e -> out.add(e.defaultLine()));
        }
        return out;
    }

    /** True if the reference reader is installed (the golden files make it optional). */
    public static boolean sysdigInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/sysdig"));
    }

    /** Runs {@code sysdig -r FILE args...} and returns its stdout lines. */
    public static List<String> sysdig(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sysdig", "-r", file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }
}
