package dev.stasis.workbench.internal.view;

import dev.stasis.analysis.report.Report;
import dev.stasis.evidence.CustodyRecord;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.cases.CaseDetail;
import dev.stasis.evidence.cases.CaseSummary;
import dev.stasis.workbench.internal.capture.EventDetails;
import dev.stasis.workbench.internal.capture.EventView;
import java.util.List;
import java.util.Map;

/** What each page template is given. */
public final class Views {
    private Views() {}

    /** Shared by every page: who is acting and the token the forms carry. */
    public record Frame(String title, String who, String csrf) {}

    public record CasesPage(Frame frame, String query, List<CaseSummary> cases) {}

    /** An item as a row: id, what it is, its integrity as this server found it, its last recorded verification. */
    public record ItemRow(String id, String shortId, String kind, String format, long size, String storedAt, String source,
                          String state, String lastVerified) {}

    public record CasePage(Frame frame, CaseDetail detail, List<ItemRow> items, List<CustodyRecord> custody, List<String> alerts,
                           List<CustodyRecord> responses) {}

    public record ItemsPage(Frame frame, List<ItemRow> items) {}

    public record ItemPage(Frame frame, EvidenceItem item, ItemRow row, List<String> cases, List<CustodyRecord> custody,
                           Report report, String analysisError, String exported, List<ProcessNode> tree,
                           List<String> others) {}

    public record DiffPage(Frame frame, String before, String after, String text) {}

    /** A process of the tree, indented by depth, with its findings. */
    public record ProcessNode(int pid, int ppid, int depth, String comm, String cmdline, String exe, String state, List<String> findings, String worst) {}

    public record MemoryHit(int pid, String process, String address, String vma, Hexdump dump) {}

    public record MemoryPage(Frame frame, String itemId, String shortId, String query, String kind, String pid, List<MemoryHit> hits,
                             boolean truncated, String error, Hexdump at, String atAddress, String atNote, List<Integer> pids) {}

    /** A filter error: the message, the filter text and the 1-based column (0: not about one place). */
    public record FilterError(String message, String before, String marked, String after, int column) {}

    public record Bar(int percent, long count, String label, String href) {}

    public record EventsPage(Frame frame, String itemId, String shortId, String filter, String columnsText, List<String> columns,
                             EventView.Page page, long pageNo, long pageSize, long pages, FilterError error, List<Bar> histogram,
                             String selfBase, Long selected, EventDetails.Detail detail, String detailError,
                             Map<String, String> links) {}

    /** One read or write of a followed fd: the bytes the capture holds, escaped. */
    public record Chunk(long num, String direction, long size, String text) {}

    public record StreamPage(Frame frame, String itemId, String shortId, long pid, long fd, String description, List<Chunk> chunks,
                             int total, long bytesIn, long bytesOut) {}

    /** One process of a capture's exec timeline, flattened in tree order: {@code indent} draws the tree as text. */
    public record TimelineRow(String indent, long pid, String comm, String cmdline, String containerId, String life, List<TimelineItem> items) {}

    /** Something the process did: {@code num} is its evt.num, {@code ordinal} its place among the visible events (the table's {@code sel}), -1 unknown. */
    public record TimelineItem(String time, long num, long ordinal, String kind, String detail) {}

    public record TimelinePage(Frame frame, String itemId, String shortId, List<TimelineRow> rows, long execs) {}

    /** One Falco alert replayed on a capture; {@code ordinal} opens its event in the table ({@code sel}). */
    public record RuleHit(String time, String rule, String priority, String output, long num, long ordinal) {}

    public record RulesPage(Frame frame, String itemId, String shortId, List<String> rulesFiles, int rulesLoaded, List<String> skipped,
                            List<String> notices, long events, long alerts, Map<String, Long> byRule, List<RuleHit> hits, String error) {}

    public record ResponsePage(Frame frame, List<CustodyRecord> records, List<Map<String, String>> pending, String journalNote) {}

    public record ErrorPage(Frame frame, int status, String message) {}

    public record LoginPage(Frame frame, String message) {}
}
