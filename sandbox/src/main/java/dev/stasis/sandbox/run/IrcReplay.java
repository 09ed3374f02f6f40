package dev.stasis.sandbox.run;

import dev.stasis.analysis.AnalysisOptions;
import dev.stasis.analysis.Analyzer;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.report.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IRC operator's part, as {@code analyze} recovered it from the checkpoint's memory and
 * socket queues: the bot's nick and channel (finding STASIS-C2-001, its NICK/JOIN evidence) and
 * the commands the operator sent (STASIS-C2-002, evidence "operator: !exec id"). The sinkhole
 * replays these commands to the restored bot.
 */
public record IrcReplay(String nick, String channel, List<String> commands, List<String> findingIds) {
    private static final Pattern NICK = Pattern.compile("NICK (\\S+)");
    private static final Pattern JOIN = Pattern.compile("JOIN ([#&]\\S+)");

    public IrcReplay {
        commands = List.copyOf(commands);
        findingIds = List.copyOf(findingIds);
    }

    public static IrcReplay fromAnalysis(Path archive) {
        Report report = Analyzer.analyze(archive, AnalysisOptions.defaults(), Progress.NONE);
        return of(report.findings());
    }

    static IrcReplay of(List<Finding> findings) {
        String nick = null;
        String channel = null;
        Set<String> commands = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>();
        for (Finding f : findings) {
            if (f.id().equals("STASIS-C2-001")) {
                ids.add(f.id());
                for (Evidence e : f.evidence()) {
                    String x = e.excerpt() == null ? "" : e.excerpt();
                    Matcher m;
                    if (nick == null && (m = NICK.matcher(x)).find()) nick = m.group(1);
                    if (channel == null && (m = JOIN.matcher(x)).find()) channel = m.group(1);
                }
            } else if (f.id().equals("STASIS-C2-002")) {
                ids.add(f.id());
                for (Evidence e : f.evidence()) {
                    String x = e.excerpt() == null ? "" : e.excerpt();
                    if (x.startsWith("operator: !")) commands.add(x.substring("operator: ".length()).strip());
                }
            }
        }
        if (commands.isEmpty()) {
            throw new SandboxException("--replay-irc: analyze recovered no IRC operator commands from this checkpoint (no STASIS-C2-002 finding)");
        }
        if (channel == null && nick == null) {
            throw new SandboxException("--replay-irc: analyze recovered neither the bot's nick nor its channel (STASIS-C2-001)");
        }
        return new IrcReplay(nick, channel, List.copyOf(commands), ids);
    }
}
