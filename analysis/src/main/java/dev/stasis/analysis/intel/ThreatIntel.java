package dev.stasis.analysis.intel;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A set of indicators to match the checkpoint against: addresses (exact and
 * CIDR), domains (a listed domain also matches its subdomains), URLs (exact, and
 * by host) and SHA-256 digests of files.
 */
public final class ThreatIntel {
    private final List<Indicator> all;
    private final Map<String, Indicator> exact = new HashMap<>();
    private final List<Cidr> cidrs = new ArrayList<>();

    private record Cidr(long network, long mask, Indicator indicator) {}

    public ThreatIntel(Collection<Indicator> indicators) {
        this.all = List.copyOf(indicators);
        for (Indicator i : all) {
            switch (i.type()) {
                case CIDR -> {
                    String[] parts = i.value().split("/");
                    int bits = Integer.parseInt(parts[1]);
                    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
                    cidrs.add(new Cidr(ipv4(parts[0]) & mask, mask, i));
                }
                case URL -> exact.putIfAbsent(i.value(), i);
                default -> exact.putIfAbsent(i.type() + ":" + i.value(), i);
            }
        }
    }

    public static ThreatIntel empty() {
        return new ThreatIntel(List.of());
    }

    /** Loads and merges every file (each sniffed for its format). */
    public static ThreatIntel load(List<Path> files) {
        List<Indicator> indicators = new ArrayList<>();
        for (Path f : files) indicators.addAll(IntelLoader.load(f));
        return new ThreatIntel(indicators);
    }

    public List<Indicator> indicators() {
        return all;
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    /** An IPv4 or IPv6 address (text form) listed directly or inside a listed CIDR. */
    public Optional<Indicator> matchAddress(String address) {
        if (address == null || address.isEmpty()) return Optional.empty();
        String a = address.toLowerCase(Locale.ROOT);
        if (a.startsWith("::ffff:") && a.indexOf('.') > 0) a = a.substring(7);
        boolean v4 = a.indexOf(':') < 0;
        Indicator hit = exact.get((v4 ? IndicatorType.IPV4 : IndicatorType.IPV6) + ":" + (v4 ? a : canonicalV6(a)));
        if (hit != null || !v4) return Optional.ofNullable(hit);
        long ip;
        try {
            ip = ipv4(a);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (Cidr c : cidrs) if ((ip & c.mask) == c.network) return Optional.of(c.indicator);
        return Optional.empty();
    }

    /** A domain listed itself, or one of its parent domains. */
    public Optional<Indicator> matchDomain(String domain) {
        if (domain == null) return Optional.empty();
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            Indicator hit = exact.get(IndicatorType.DOMAIN + ":" + d);
            if (hit != null) return Optional.of(hit);
            int dot = d.indexOf('.');
            if (dot < 0 || d.indexOf('.', dot + 1) < 0) return Optional.empty();
            d = d.substring(dot + 1);
        }
    }

    /** A URL listed exactly, or whose host is a listed domain or address. */
    public Optional<Indicator> matchUrl(String url) {
        Indicator hit = exact.get(url);
        if (hit != null) return Optional.of(hit);
        String host = Indicators.urlHost(url);
        Optional<Indicator> byAddress = matchAddress(host);
        return byAddress.isPresent() ? byAddress : matchDomain(host);
    }

    public Optional<Indicator> matchSha256(String digest) {
        return digest == null ? Optional.empty()
                : Optional.ofNullable(exact.get(IndicatorType.SHA256 + ":" + digest.toLowerCase(Locale.ROOT)));
    }

    static long ipv4(String s) {
        String[] p = s.split("\\.");
        if (p.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + s);
        long v = 0;
        for (String part : p) {
            int n = Integer.parseInt(part);
            if (n < 0 || n > 255) throw new IllegalArgumentException("not an IPv4 address: " + s);
            v = (v << 8) | n;
        }
        return v;
    }

    /** IPv6 in one canonical text form so "::1" and "0:0::1" compare equal. */
    static String canonicalV6(String s) {
        try {
            // Literal parsing only: InetAddress.getByName does no lookup for an address literal.
            if (!s.matches("[0-9a-f:.%\\w]+")) return s;
            return InetAddress.getByName(s.contains("%") ? s.substring(0, s.indexOf('%')) : s).getHostAddress();
        } catch (UnknownHostException e) {
            return s;
        }
    }
}
