package dev.stasis.sandbox.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry logins read from the auth files podman, skopeo, buildah and docker write
 * ({@code {"auths": {"HOST": {"auth": base64(user:password)}}}}). The first file that has an
 * entry for a host wins, in the order containers-auth.json(5) gives: {@code $REGISTRY_AUTH_FILE},
 * {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code ~/.config/containers/auth.json},
 * {@code ~/.docker/config.json}. Credential helpers are not run.
 */
public final class RegistryCredentials {
    /** A user name and password (or identity token as password) for one registry. */
    public record Login(String user, String password) {
        @Override
        public String toString() {
            return "Login[" + user + ", ***]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Login> byHost;

    private RegistryCredentials(Map<String, Login> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    public static RegistryCredentials none() {
        return new RegistryCredentials(Map.of());
    }

    /** The standard files for this environment and home directory (missing files are skipped). */
    public static RegistryCredentials standard(Map<String, String> env, Path home) {
        List<Path> files = new ArrayList<>();
        if (env.get("REGISTRY_AUTH_FILE") != null) files.add(Path.of(env.get("REGISTRY_AUTH_FILE")));
        if (env.get("XDG_RUNTIME_DIR") != null) files.add(Path.of(env.get("XDG_RUNTIME_DIR"), "containers", "auth.json"));
        if (home != null) {
            files.add(home.resolve(".config/containers/auth.json"));
            files.add(home.resolve(".docker/config.json"));
        }
        return fromFiles(files);
    }

    /** Reads these auth files, earlier files first; an unreadable or malformed file is a one-line error. */
    public static RegistryCredentials fromFiles(List<Path> files) {
        Map<String, Login> logins = new LinkedHashMap<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) continue;
            JsonNode auths;
            try {
                auths = JSON.readTree(f.toFile()).path("auths");
            } catch (IOException e) {
                throw new ImageException.Registry("cannot read auth file " + f + ": " + e.getMessage().lines().findFirst().orElse(""), 0, e);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String auth = e.getValue().path("auth").asText("");
                if (auth.isEmpty()) continue;
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException bad) {
                    throw new ImageException.Registry("auth file " + f + ": entry " + e.getKey() + " is not base64", 0, bad);
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) continue;
                logins.putIfAbsent(host(e.getKey()), new Login(decoded.substring(0, colon), decoded.substring(colon + 1)));
            }
        }
        return new RegistryCredentials(logins);
    }

    /** The login for a registry host ("127.0.0.1:5000", "docker.io"), if any. */
    public Optional<Login> lookup(String registry) {
        Login l = byHost.get(host(registry));
        if (l == null && registry.equals("docker.io")) l = byHost.get("index.docker.io");
        return Optional.ofNullable(l);
    }

    /** docker's config.json keys Hub as "https://index.docker.io/v1/"; the rest are host[:port][/path]. */
    private static String host(String key) {
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        if (slash >= 0) k = k.substring(0, slash);
        return k.equals("index.docker.io") || k.equals("registry-1.docker.io") ? "docker.io" : k;
    }
}
