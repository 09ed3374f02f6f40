package dev.stasis.analysis;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's testdata: the surefire property stasis.root, else walking up from the working directory. */
public final class TestData {
    private TestData() {}

    public static Path root() {
        String prop = System.getProperty("stasis.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) return Path.of(prop);
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("testdata"))) return p;
            p = p.getParent();
        }
        throw new IllegalStateException("cannot find testdata/ (set -Dstasis.root)");
    }

    public static Path checkpoint(String name) {
        return root().resolve("testdata/checkpoints").resolve(name);
    }

    public static Path resource(String name) {
        try {
            return Path.of(TestData.class.getResource("/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }
}
