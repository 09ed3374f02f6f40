package dev.stasis.analysis.diff;

import java.util.Locale;

/** `stasis diff` for a terminal: new processes and connections first, then the rest. */
public final class DiffText {
    private DiffText() {}

    public static String render(CheckpointDiff.Result r, boolean color) {
        StringBuilder sb = new StringBuilder();
        String plus = color ? "\u001b[32m+\u001b[0m" : "+";
        String minus = color ? "\u001b[31m-\u001b[0m" : "-";
        String tilde = color ? "\u001b[33m~\u001b[0m" : "~";
        sb.append("Comparing ").append(r.before()).append(" (before) with ").append(r.after()).append(" (after): ")
                .append(r.count()).append(" difference(s)\n");
        for (String n : r.notices()) sb.append("note: ").append(n).append('\n');

        sb.append("\nProcesses\n");
        for (CheckpointDiff.ProcessChange p : r.processes()) {
            String mark = switch (p.change()) {
                case "new" -> plus;
                case "gone" -> minus;
                case "unchanged" -> " ";
                default -> tilde;
            };
            sb.append(' ').append(mark).append(' ').append(String.format(Locale.ROOT, "%-6d %-16s", p.pid(), p.comm()))
                    .append(String.format(Locale.ROOT, " %9s", size(p.memoryBefore(), p.memoryAfter())))
                    .append(delta(p.memoryBefore(), p.memoryAfter()));
            if (!p.cmdline().isEmpty() && !p.cmdline().equals(p.comm())) sb.append("  ").append(clip(p.cmdline(), 70));
            if (!p.details().isEmpty()) sb.append("  (").append(String.join("; ", p.details())).append(')');
            sb.append('\n');
        }
        sb.append("\nConnections\n");
        if (r.connections().isEmpty()) sb.append("   no change\n");
        for (CheckpointDiff.ConnectionChange c : r.connections()) {
            String mark = c.change().equals("new") ? plus : c.change().equals("closed") ? minus : tilde;
            sb.append(' ').append(mark).append(' ').append(c.protocol()).append(' ').append(c.local())
                    .append(c.remote() == null ? "" : " -> " + c.remote()).append("  ")
                    .append(c.stateBefore() == null ? "" : c.stateBefore() + " -> ").append(c.stateAfter() == null ? "gone" : c.stateAfter())
                    .append("  pid ").append(c.pids()).append('\n');
        }
        sb.append("\nFile descriptors\n");
        if (r.fds().isEmpty()) sb.append("   no change in processes present in both\n");
        for (CheckpointDiff.FdChange f : r.fds()) {
            sb.append(' ').append(f.change().equals("opened") ? plus : minus).append(" pid ").append(f.pid()).append(' ').append(f.comm())
                    .append(" fd ").append(f.fd()).append(": ").append(f.target()).append('\n');
        }
        sb.append("\nRootfs diff\n");
        if (r.files().isEmpty()) sb.append("   no change\n");
        for (CheckpointDiff.FileChange f : r.files()) {
            String mark = f.change().equals("added") ? plus : f.change().equals("removed") ? minus : tilde;
            sb.append(' ').append(mark).append(' ').append(f.path()).append(" (").append(f.type());
            if (f.sizeAfter() != null && "file".equals(f.type())) sb.append(", ").append(f.sizeAfter()).append(" bytes");
            if (f.sha256After() != null && "file".equals(f.type())) sb.append(", sha256 ").append(f.sha256After(), 0, 16).append('…');
            sb.append(")\n");
        }
        if (!r.deletedFiles().isEmpty()) {
            sb.append("\nNewly deleted image files\n");
            for (String d : r.deletedFiles()) sb.append(' ').append(minus).append(' ').append(d).append('\n');
        }
        return sb.toString();
    }

    /** The resident size now (before, for a process that is gone), right-aligned in its column. */
    private static String size(Long before, Long after) {
        if (after != null) return kib(after);
        return before == null ? "" : kib(before);
    }

    /** " (+4 KiB)" after the column, so that a change does not push the column out of line. */
    private static String delta(Long before, Long after) {
        if (before == null || after == null || before.equals(after)) return "";
        long d = after - before;
        return " (" + (d > 0 ? "+" : "-") + kib(Math.abs(d)) + ")";
    }

    private static String kib(long bytes) {
        return bytes >= 10L << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
