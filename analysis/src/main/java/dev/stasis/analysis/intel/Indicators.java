package dev.stasis.analysis.intel;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Classifies and normalises a raw indicator string as found in lists and feeds,
 * undoing the usual defanging ("10.0.0[.]1", "hxxp://", "evil[.]com").
 */
final class Indicators {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern CIDR4 = Pattern.compile(IPV4.pattern() + "/(3[0-2]|[12]?\\d)");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:]+(%\\w+)?");

    private Indicators() {}

    static String refang(String raw) {
        return raw.strip().replace("[.]", ".").replace("(.)", ".").replace("[:]", ":")
                .replaceFirst("^(?i)hxxp", "http").replaceFirst("^(?i)fxp", "ftp");
    }

    /** The indicator a value denotes, or empty when it is not a recognisable one. */
    static Optional<Indicator> classify(String raw, String label, String source) {
        String v = refang(raw);
        if (v.isEmpty()) return Optional.empty();
        String lower = v.toLowerCase(Locale.ROOT);
        if (IPV4.matcher(v).matches()) return Optional.of(new Indicator(IndicatorType.IPV4, v, label, source));
        if (CIDR4.matcher(v).matches()) return Optional.of(new Indicator(IndicatorType.CIDR, v, label, source));
        if (lower.contains("://")) return Optional.of(new Indicator(IndicatorType.URL, v, label, source));
        if (SHA256.matcher(lower).matches()) return Optional.of(new Indicator(IndicatorType.SHA256, lower, label, source));
        if (lower.indexOf(':') >= 0 && IPV6.matcher(lower).matches()) {
            return Optional.of(new Indicator(IndicatorType.IPV6, lower, label, source));
        }
        if (DOMAIN.matcher(lower).matches()) {
            return Optional.of(new Indicator(IndicatorType.DOMAIN, lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower, label, source));
        }
        return Optional.empty();
    }

    /** The host part of a URL (no user info, no port), lower-case. */
    static String urlHost(String url) {
        int s = url.indexOf("://");
        String rest = s < 0 ? url : url.substring(s + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) end = i;
        }
        String host = rest.substring(0, end);
        int at = host.lastIndexOf('@');
        if (at >= 0) host = host.substring(at + 1);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(1, close).toLowerCase(Locale.ROOT) : host.toLowerCase(Locale.ROOT);
        }
        int colon = host.indexOf(':');
        if (colon >= 0) host = host.substring(0, colon);
        return host.toLowerCase(Locale.ROOT);
    }
}
