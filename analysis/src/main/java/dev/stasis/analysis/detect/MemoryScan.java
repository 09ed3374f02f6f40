package dev.stasis.analysis.detect;

import dev.stasis.analysis.intel.Indicator;
import dev.stasis.analysis.intel.IndicatorType;
import dev.stasis.analysis.intel.ThreatIntel;
import dev.stasis.analysis.subject.MemoryHit;
import dev.stasis.analysis.subject.MemoryView;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import dev.stasis.memory.artefacts.ArtefactReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pass over every live process's memory and every socket queue with a
 * single combined pattern, sorting the hits into kinds the detectors consume:
 * IRC protocol lines, Stratum URLs, miner names, Monero-like wallets,
 * service-account token paths and JWTs, and intel domains. The same pass over
 * the pages recovers the memory artefacts (history, credentials).
 */
public final class MemoryScan {
    /** What a hit is. */
    public enum Kind { IRC, STRATUM, MINER, WALLET, TOKEN, PRELOAD, INTEL }

    /** A hit with where it was found: memory of a process, or a socket's queue (pid of a holder, address null). */
    public record Hit(Kind kind, int pid, Long address, String where, String text) {}

    /** An IRC line, with the sender prefix (":nick!user@host ") that lines from the server carry. */
    static final Pattern IRC = Pattern.compile("(?::[^ \\r\\n\\x00]{1,120} )?(?:NICK|USER|JOIN|PRIVMSG|NOTICE) [^\\r\\n\\x00]{1,400}");
    static final Pattern PRELOAD = Pattern.compile("LD_PRELOAD=[^\\x00\\s]{1,256}");
    static final Pattern STRATUM = Pattern.compile("stratum\\+(?:tcp|ssl|tls)://[A-Za-z0-9._\\-]+(?::\\d{1,5})?");
    static final Pattern MINER = Pattern.compile("\\b(?:xmrig|xmr-stak|cpuminer|minerd|nbminer|lolminer|ccminer|kdevtmpfsi|kinsing|ethminer|nanominer)\\b|--donate-level");
    static final Pattern WALLET = Pattern.compile("\\b4[0-9AB][1-9A-HJ-NP-Za-km-z]{93}\\b");
    static final Pattern TOKEN = Pattern.compile("/run/secrets/kubernetes\\.io/serviceaccount/token|\\beyJhbGciOi[A-Za-z0-9_-]{6,}\\.[A-Za-z0-9_-]{3,}\\.[A-Za-z0-9_-]{2,}");
    /** Hits kept in all: enough to show, bounded on a huge dump. */
    static final int LIMIT = 20000;

    public static final MemoryScan EMPTY = new MemoryScan(List.of(), ArtefactReport.EMPTY);

    private final List<Hit> hits;
    private final ArtefactReport artefacts;

    private MemoryScan(List<Hit> hits, ArtefactReport artefacts) {
        this.hits = List.copyOf(hits);
        this.artefacts = artefacts;
    }

    public static MemoryScan of(List<Hit> hits) {
        return new MemoryScan(hits, ArtefactReport.EMPTY);
    }

    /** Shell and REPL history and credentials of the live processes, from the same sweep as the hits. */
    public ArtefactReport artefacts() {
        return artefacts;
    }

    public List<Hit> hits(Kind kind) {
        return hits.stream().filter(h -> h.kind == kind).toList();
    }

    public List<Hit> all() {
        return hits;
    }

    /** Runs the sweep. Progress is reported per process through the callback (may be null). */
    public static MemoryScan run(Subject subject, ThreatIntel intel, java.util.function.IntConsumer progress) {
        List<String> intelLiterals = intel.indicators().stream()
                .filter(i -> i.type() == IndicatorType.DOMAIN || i.type() == IndicatorType.URL)
                .map(Indicator::value).distinct().limit(500).toList();
        Pattern intelPattern = intelLiterals.isEmpty() ? null
                : Pattern.compile(String.join("|", intelLiterals.stream().map(Pattern::quote).toList()), Pattern.CASE_INSENSITIVE);
        List<MemoryView.Keyword> keywords = new ArrayList<>();
        for (String k : List.of("NICK ", "USER ", "JOIN ", "PRIVMSG ", "NOTICE ")) keywords.add(new MemoryView.Keyword(k, IRC));
        keywords.add(new MemoryView.Keyword("stratum+", STRATUM));
        for (String k : List.of("xmrig", "xmr-stak", "cpuminer", "minerd", "nbminer", "lolminer", "ccminer", "kdevtmpfsi", "kinsing",
                "ethminer", "nanominer", "--donate-level")) {
            keywords.add(new MemoryView.Keyword(k, MINER));
        }
        keywords.add(new MemoryView.Keyword("/run/secrets/kubernetes.io/serviceaccount/token", TOKEN));
        keywords.add(new MemoryView.Keyword("eyJhbGciOi", TOKEN));
        keywords.add(new MemoryView.Keyword("LD_PRELOAD=", PRELOAD));
        for (String lit : intelLiterals) keywords.add(new MemoryView.Keyword(lit, Pattern.compile(Pattern.quote(lit))));

        List<Hit> out = new ArrayList<>();
        List<Integer> live = subject.processes().stream().filter(Proc::alive).map(Proc::pid).toList();
        MemoryView.Sweep sweep = live.isEmpty() ? new MemoryView.Sweep(List.of(), ArtefactReport.EMPTY) : subject.memory().sweep(live, keywords, LIMIT);
        for (MemoryHit h : sweep.keywords()) {
            classify(h.text(), intelPattern).forEach((kind, text) -> out.add(new Hit(kind, h.pid(), h.address(), "memory", text)));
        }
        if (progress != null) progress.accept(subject.processes().size());
        StringBuilder combined = new StringBuilder();
        for (Pattern p : List.of(IRC, STRATUM, MINER, WALLET, TOKEN, PRELOAD)) combined.append(combined.isEmpty() ? "" : "|").append(p.pattern());
        if (intelPattern != null) combined.append("|(?i:").append(intelPattern.pattern()).append(')');
        Pattern all = Pattern.compile(combined.toString());
        for (Sock s : subject.sockets()) {
            int pid = s.pids().isEmpty() ? 0 : s.pids().get(0);
            scanQueue(s.inQueue(), "received queue of " + s.describe(), pid, all, intelPattern, out);
            scanQueue(s.outQueue(), "send queue of " + s.describe(), pid, all, intelPattern, out);
        }
        return new MemoryScan(out, sweep.artefacts());
    }

    private static void scanQueue(byte[] data, String where, int pid, Pattern all, Pattern intel, List<Hit> out) {
        if (data.length == 0) return;
        Matcher m = all.matcher(new String(data, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            String text = m.group();
            classify(text, intel).forEach((kind, t) -> out.add(new Hit(kind, pid, null, where, t)));
        }
    }

    /** Which kinds a combined-pattern match belongs to (usually one). */
    static Map<Kind, String> classify(String text, Pattern intel) {
        Map<Kind, String> kinds = new EnumMap<>(Kind.class);
        if (IRC.matcher(text).lookingAt()) kinds.put(Kind.IRC, text);
        else if (STRATUM.matcher(text).lookingAt()) kinds.put(Kind.STRATUM, text);
        else if (WALLET.matcher(text).lookingAt()) kinds.put(Kind.WALLET, text);
        else if (TOKEN.matcher(text).lookingAt()) kinds.put(Kind.TOKEN, text);
        else if (PRELOAD.matcher(text).lookingAt()) kinds.put(Kind.PRELOAD, text);
        else if (MINER.matcher(text).lookingAt()) kinds.put(Kind.MINER, text.toLowerCase(Locale.ROOT));
        else if (intel != null && intel.matcher(text).matches()) kinds.put(Kind.INTEL, text.toLowerCase(Locale.ROOT));
        return kinds;
    }

    /** Distinct texts of a kind with the first hit of each, in first-seen order. */
    public Map<String, Hit> distinct(Kind kind) {
        Map<String, Hit> out = new LinkedHashMap<>();
        for (Hit h : hits) if (h.kind == kind) out.putIfAbsent(h.text, h);
        return out;
    }
}
