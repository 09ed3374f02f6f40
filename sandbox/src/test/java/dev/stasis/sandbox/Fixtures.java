package dev.stasis.sandbox;

import dev.stasis.testsupport.ProjectFiles;
import java.nio.file.Path;

/** The bundled real checkpoints (testdata/checkpoints, made with podman + CRIU outside stasis). */
public final class Fixtures {
    private Fixtures() {}

    public static Path root() {
        return ProjectFiles.root();
    }

    public static Path checkpoint(String name) {
        return ProjectFiles.checkpoint(name);
    }
}
