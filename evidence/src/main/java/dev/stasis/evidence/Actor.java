package dev.stasis.evidence;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Who touches evidence, from where and through what: the "who" and "where
 * from" of every custody record and provenance entry.
 *
 * @param who  a person or service identity (e.g. {@code alice}, {@code system:serviceaccount:stasis:responder})
 * @param host the machine the request came from (host name or address)
 * @param via  the program or channel ({@code stasis-cli}, {@code stasis-serve}, an HTTP client address)
 */
public record Actor(String who, String host, String via) {
    public Actor {
        Objects.requireNonNull(who, "who");
        host = host == null ? "" : host;
        via = via == null ? "" : via;
    }

    /** The OS user on this host, acting through {@code via}. */
    public static Actor current(String via) {
        return new Actor(System.getProperty("user.name", "unknown"), localHost(), via);
    }

    static String localHost() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
