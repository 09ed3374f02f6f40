package dev.stasis.checkpoint.archive;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** PosixFilePermission sets as the octal bits a tar header carries. */
final class PosixPermissionBits {
    private PosixPermissionBits() {}

    static int of(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}
