package dev.stasis.checkpoint.archive;

import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/** Converts tar headers into {@link ArchiveMember}s, validating what a hostile header could lie about. */
final class TarEntries {
    private TarEntries() {}

    static ArchiveMember toMember(TarArchiveEntry e) {
        String name = MemberNames.normalise(e.getName());
        ArchiveMember.Type type;
        if (e.isDirectory()) type = ArchiveMember.Type.DIRECTORY;
        else if (e.isSymbolicLink()) type = ArchiveMember.Type.SYMLINK;
        else if (e.isLink()) type = ArchiveMember.Type.HARDLINK;
        else if (e.isFile() && !e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()) type = ArchiveMember.Type.FILE;
        else type = ArchiveMember.Type.OTHER;
        if (e.getSize() < 0) throw new ArchiveException("archive member " + name + " has a negative size");
        String link = (type == ArchiveMember.Type.SYMLINK || type == ArchiveMember.Type.HARDLINK) ? e.getLinkName() : null;
        Instant modified = e.getLastModifiedDate() == null ? null : e.getLastModifiedDate().toInstant();
        long size = type == ArchiveMember.Type.FILE ? e.getSize() : 0;
        return new ArchiveMember(name, type, size, e.getMode() & 07777, link, modified);
    }
}
