package dev.stasis.sandbox.image;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A registry reference, {@code HOST[:PORT]/REPOSITORY[:TAG]}, as podman and skopeo read it: a first
 * component without a dot, a colon or "localhost" is a Docker Hub repository.
 *
 * @param registry   the host (and port) named in the reference ("docker.io" for Hub)
 * @param repository the repository path ("library/nginx")
 * @param tag        the tag ("latest" when none was given)
 */
public record ImageReference(String registry, String repository, String tag) {
    private static final Pattern REPO = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    public ImageReference {
        if (registry == null || registry.isBlank()) throw new IllegalArgumentException("image reference has no registry");
        if (repository == null || !REPO.matcher(repository).matches()) throw new IllegalArgumentException("invalid repository name: " + repository);
        if (tag == null || !TAG.matcher(tag).matches()) throw new IllegalArgumentException("invalid tag: " + tag);
    }

    /** Parses {@code [docker://]HOST[:PORT]/REPO[:TAG]}; a digest reference is refused (a push names a tag). */
    public static ImageReference parse(String ref) {
        String s = ref.strip();
        if (s.startsWith("docker://")) s = s.substring("docker://".length());
        if (s.contains("@")) throw new IllegalArgumentException("push to a tag, not a digest: " + ref);
        String registry = "docker.io";
        int slash = s.indexOf('/');
        if (slash > 0) {
            String first = s.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                s = s.substring(slash + 1);
            }
        }
        String tag = "latest";
        int colon = s.lastIndexOf(':');
        if (colon > 0) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        if (registry.equals("docker.io") && !s.contains("/")) s = "library/" + s;
        if (!s.equals(s.toLowerCase(Locale.ROOT))) throw new IllegalArgumentException("repository names are lower case: " + ref);
        return new ImageReference(registry, s, tag);
    }

    /** The host the distribution API answers on (Docker Hub's API is not at docker.io). */
    public String apiHost() {
        return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    }

    @Override
    public String toString() {
        return registry + "/" + repository + ":" + tag;
    }
}
