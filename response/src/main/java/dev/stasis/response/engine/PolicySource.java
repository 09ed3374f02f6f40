package dev.stasis.response.engine;

import dev.stasis.response.policy.Policy;
import dev.stasis.response.policy.PolicyException;
import dev.stasis.response.policy.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

/**
 * The current policy, reloaded when its file changes (checked at most once a
 * second, on use). A reload that fails validation keeps the previous policy
 * and logs why: a typo must not switch the responses off.
 */
public final class PolicySource implements Supplier<Policy> {
    private final Path file;
    private final JsonLog log;
    private volatile Policy current;
    private volatile FileTime stamp;
    private volatile long size;
    private volatile long lastCheck;

    public PolicySource(Path file, JsonLog log) {
        this.file = file;
        this.log = log;
        this.current = PolicyLoader.load(file);
        stampNow();
    }

    /** A fixed policy (tests, `policy test`). */
    public static Supplier<Policy> fixed(Policy p) {
        return () -> p;
    }

    @Override
    public Policy get() {
        long now = System.nanoTime();
        if (now - lastCheck > 1_000_000_000L) {
            lastCheck = now;
            reloadIfChanged();
        }
        return current;
    }

    /** Checks the file now; returns true when a new policy was loaded. */
    public synchronized boolean reloadIfChanged() {
        try {
            FileTime t = Files.getLastModifiedTime(file);
            long s = Files.size(file);
            if (t.equals(stamp) && s == size) return false;
            stamp = t;
            size = s;
        } catch (IOException e) {
            log.warn("policy.reload.failed", "file", file, "error", "cannot read: " + e.getMessage());
            return false;
        }
        try {
            current = PolicyLoader.load(file);
            log.info("policy.reloaded", "file", file, "rules", current.rules().size(), "dryRun", current.dryRun());
            return true;
        } catch (PolicyException e) {
            log.error("policy.reload.rejected", "file", file, "error", e.getMessage(), "kept", "previous policy");
            return false;
        }
    }

    private void stampNow() {
        try {
            stamp = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException e) {
            stamp = null;
        }
    }
}
