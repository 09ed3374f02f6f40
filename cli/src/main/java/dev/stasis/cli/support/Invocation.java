package dev.stasis.cli.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where and for whom a command runs: its user's environment variables, working
 * directory and whether a person sits at the terminal. Commands ask this (or
 * {@link Terminal}), never {@code System.getenv} or the JVM's own working
 * directory, because a command served by the background JVM
 * ({@code dev.stasis.cli.daemon}) runs for a client whose environment and
 * directory are not the JVM's: the client sends them with its request
 * ({@link CommandTable#PASSED_ENV} names the variables it sends).
 *
 * @param env the variables the command may read
 * @param cwd the user's working directory (absolute)
 * @param interactive whether stdin and stdout are the user's terminal
 */
public record Invocation(Map<String, String> env, Path cwd, boolean interactive) {
    private static volatile Invocation served;

    public Invocation {
        env = Map.copyOf(env);
        cwd = cwd.toAbsolutePath();
    }

    /** The running command's: the served client's, else this JVM's own. */
    public static Invocation current() {
        Invocation s = served;
        return s != null ? s : own();
    }

    /** This JVM's own environment, directory and terminal. */
    public static Invocation own() {
        return new Invocation(System.getenv(), Path.of(System.getProperty("user.dir")), System.console() != null);
    }

    /**
     * Used by the background JVM for the duration of one client's command (it runs one at a
     * time); null gives the questions back to this JVM.
     */
    public static void serve(Invocation client) {
        served = client;
    }

    /** The variable's value, or null when it is not set. */
    public String env(String name) {
        return env.get(name);
    }

    /**
     * Colours for a person at a terminal that shows them: not when output goes elsewhere,
     * when {@code NO_COLOR} is set (no-color.org: set to anything) or when {@code TERM=dumb}.
     */
    public boolean colour() {
        return interactive && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
    }

    /**
     * A path the user typed, as the command's own JVM would read it: relative paths are
     * the user's directory's. Left as typed when this JVM works in that directory, so
     * that a command prints it as typed; made absolute otherwise.
     */
    public Path resolve(String typed) {
        Path p = Path.of(typed);
        if (p.isAbsolute() || worksIn(cwd)) return p;
        return cwd.resolve(p);
    }

    /** Whether this JVM's relative paths land in {@code dir}: its working directory is that directory, still. */
    private static boolean worksIn(Path dir) {
        if (!dir.toString().equals(System.getProperty("user.dir"))) return false;
        try {
            // the directory may have been removed, and another made under its name
            return Files.isSameFile(Path.of("/proc/self/cwd"), dir);
        } catch (java.io.IOException | SecurityException e) {
            return false;
        }
    }
}
