package dev.stasis.sandbox.image;

import java.nio.file.Path;
import java.util.Objects;

/** Where a checkpoint image goes. */
public sealed interface ImageTarget {
    /** Human-readable destination, in the transport syntax skopeo and podman use. */
    String describe();

    /** An OCI image layout directory ({@code oci:DIR:TAG}); DIR must not exist yet, or be empty. */
    record OciLayout(Path dir, String tag) implements ImageTarget {
        public OciLayout {
            Objects.requireNonNull(dir, "dir");
            tag = tag == null || tag.isBlank() ? "latest" : tag;
        }

        @Override
        public String describe() {
            return "oci:" + dir + ":" + tag;
        }
    }

    /** An oci-archive: the layout as one tar file ({@code oci-archive:FILE:TAG}); FILE must not exist. */
    record OciArchive(Path file, String tag) implements ImageTarget {
        public OciArchive {
            Objects.requireNonNull(file, "file");
            tag = tag == null || tag.isBlank() ? "latest" : tag;
        }

        @Override
        public String describe() {
            return "oci-archive:" + file + ":" + tag;
        }
    }

    /**
     * A registry speaking the OCI distribution API.
     *
     * @param tls         https (the default); false allows plain http, as {@code --tls-verify=false} does
     * @param credentials where to find a login for the registry; {@link RegistryCredentials#none()} for anonymous
     */
    record Registry(ImageReference ref, boolean tls, RegistryCredentials credentials) implements ImageTarget {
        public Registry {
            Objects.requireNonNull(ref, "ref");
            credentials = credentials == null ? RegistryCredentials.none() : credentials;
        }

        @Override
        public String describe() {
            return "docker://" + ref;
        }
    }
}
