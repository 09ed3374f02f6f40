package dev.stasis.testsupport;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The one check before a test that compares against a ground-truth tool (sysdig, gdb,
 * podman + CRIU, PostgreSQL, chromium, strace, skopeo, docker-registry). Where the tool
 * is missing the test is skipped, loudly; under {@code STASIS_CI_STRICT=1} (set by
 * {@code .ci/run} when it runs as root, after installing every tool) it fails instead,
 * because a CI run that skipped its oracles would be green without having checked
 * anything.
 */
public final class GroundTruth {
    /** The environment variable that turns a missing tool into a failure. */
    public static final String STRICT = "STASIS_CI_STRICT";

    private GroundTruth() {}

    /**
     * Lets the calling test go on when {@code present}; otherwise skips it, or fails it in
     * strict CI. {@code missing} says what is missing and how to get it.
     */
    public static void require(boolean present, String missing) {
        require(present, missing, System.getenv());
    }

    /** {@link #require(boolean, String)} in the environment {@code env}. */
    static void require(boolean present, String missing, Map<String, String> env) {
        if (present) return;
        if (strict(env)) {
            throw new AssertionError(STRICT + "=1: a ground-truth tool is missing, the test would have been skipped: " + missing);
        }
        System.err.println("******** SKIPPED: " + missing + " ********");
        Assumptions.abort(missing);
    }

    /** True in strict CI. */
    public static boolean strict() {
        return strict(System.getenv());
    }

    static boolean strict(Map<String, String> env) {
        return "1".equals(env.get(STRICT));
    }
}
