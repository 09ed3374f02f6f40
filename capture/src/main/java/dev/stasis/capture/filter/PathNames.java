package dev.stasis.capture.filter;

/** The parts of a path as sysdig 0.29 cuts them (fd.directory, the basename transformer). */
final class PathNames {
    private PathNames() {}

    /** sysdig 0.29's fd.directory of a path: up to the last '/', "/" when there is none or only a leading one. */
    static String directoryOf(String path) {
        if (path == null) return null;
        int slash = path.lastIndexOf('/');
        if (slash <= 0) return "/";
        return slash < path.length() - 1 ? path.substring(0, slash) : path;
    }

    static String basename(String path) {
        if (path == null) return null;
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
