package dev.stasis.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled real checkpoints (testdata/checkpoints, made with podman + CRIU outside stasis). */
public final class Fixtures {
    private Fixtures() {}

    public static Path root() {
        String prop = System.getProperty("stasis.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) return Path.of(prop);
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no testdata/ above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static Path checkpoint(String name) {
        return root().resolve("testdata/checkpoints").resolve(name);
    }
}
