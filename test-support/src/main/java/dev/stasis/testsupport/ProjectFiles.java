package dev.stasis.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a test finds the project's bundled examples (testdata/): the surefire
 * property {@code stasis.root}, else the first directory up from the working
 * directory that holds testdata/. One place for every module's tests.
 */
public final class ProjectFiles {
    private ProjectFiles() {}

    public static Path root() {
        String prop = System.getProperty("stasis.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) return Path.of(prop);
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no testdata/ above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** A bundled checkpoint archive, testdata/checkpoints/NAME. */
    public static Path checkpoint(String name) {
        return root().resolve("testdata/checkpoints").resolve(name);
    }
}
