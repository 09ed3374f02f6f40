package dev.stasis.checkpoint.archive;

/** Normalises member names and refuses the ones that would escape the archive root. */
final class MemberNames {
    private MemberNames() {}

    /**
     * "./checkpoint/core-1.img" becomes "checkpoint/core-1.img"; absolute names and ".."
     * components are refused, because a hostile archive uses them to reach files outside
     * wherever a careless reader would unpack it.
     */
    static String normalise(String raw) {
        if (raw == null || raw.isEmpty()) throw new ArchiveException("archive member with an empty name");
        if (raw.indexOf('\0') >= 0) throw new ArchiveException("archive member name contains a NUL byte: " + printable(raw));
        String name = raw.replace('\\', '/');
        if (name.startsWith("/")) {
            throw new ArchiveException("archive member has an absolute path: " + printable(raw));
        }
        StringBuilder out = new StringBuilder(name.length());
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new ArchiveException("archive member escapes the archive root with '..': " + printable(raw));
            if (!out.isEmpty()) out.append('/');
            out.append(part);
        }
        if (out.isEmpty()) return ".";
        return out.toString();
    }

    /** A name safe to put in a one-line message. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > 200) b.append("...");
        return b.toString();
    }

    static boolean isPageImage(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return file.startsWith("pages-") && file.endsWith(".img");
    }
}
