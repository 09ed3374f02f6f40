package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Mnt;
import java.util.ArrayList;
import java.util.List;

/**
 * One mount of a {@code mountpoints-<id>.img}, with what locates a file on it: where it is mounted,
 * which directory of its file system it shows ({@code root}), the device of that file system
 * ({@code rootDev}, unsigned; CRIU names a saved tmpfs {@code tmpfs-dev-<rootDev>.tar.gz.img}) and
 * CRIU's file-system code ({@code fstype}: 5 is tmpfs, images/mnt.proto).
 */
public record MountPoint(int mountId, int parentMountId, String mountpoint, String root, long rootDev, int fstype) {
    /** CRIU's {@code fstype} code of tmpfs. */
    public static final int FSTYPE_TMPFS = 5;

    /** The mounts of a decoded mountpoints image, in image order. */
    public static List<MountPoint> read(CriuImage mountpoints) {
        List<MountPoint> out = new ArrayList<>();
        for (ImageEntry e : mountpoints.entries()) {
            if (e.message() instanceof Mnt.mnt_entry m)
                out.add(new MountPoint(m.getMntId(), m.getParentMntId(), m.getMountpoint(), m.getRoot(), Integer.toUnsignedLong(m.getRootDev()), m.getFstype()));
        }
        return out;
    }
}
