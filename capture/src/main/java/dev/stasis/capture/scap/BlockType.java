package dev.stasis.capture.scap;

/** Block type numbers of the scap format (libscap scap_savefile.h). */
public final class BlockType {
    private BlockType() {}

    public static final int SECTION_HEADER = 0x0A0D0D0A;
    public static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    public static final int MACHINE_INFO = 0x201;
    public static final int MACHINE_INFO_INT = 0x8002ABCD;
    public static final int PROCLIST_V1 = 0x202;
    public static final int PROCLIST_V1_INT = 0x8000ABCD;
    public static final int PROCLIST_V2 = 0x207;
    public static final int PROCLIST_V2_INT = 0x8013ABCD;
    public static final int PROCLIST_V3 = 0x209;
    public static final int PROCLIST_V3_INT = 0x8014ABCD;
    public static final int PROCLIST_V4 = 0x210;
    public static final int PROCLIST_V5 = 0x211;
    public static final int PROCLIST_V6 = 0x212;
    public static final int PROCLIST_V7 = 0x213;
    public static final int PROCLIST_V8 = 0x214;
    public static final int PROCLIST_V9 = 0x215;
    public static final int FDLIST = 0x203;
    public static final int FDLIST_INT = 0x8001ABCD;
    public static final int FDLIST_V2 = 0x218;
    public static final int EVENT = 0x204;
    public static final int EVENT_INT = 0x8010ABCD;
    public static final int EVENT_V2 = 0x216;
    public static final int EVENT_V2_LARGE = 0x221;
    public static final int IFLIST = 0x205;
    public static final int IFLIST_INT = 0x8011ABCD;
    public static final int IFLIST_V2 = 0x219;
    public static final int USERLIST = 0x206;
    public static final int USERLIST_INT = 0x8012ABCD;
    public static final int USERLIST_V2 = 0x220;
    public static final int EVENT_FLAGS = 0x208;
    public static final int EVENT_FLAGS_V2 = 0x217;
    public static final int EVENT_FLAGS_V2_LARGE = 0x222;

    public static boolean isEvent(int t) {
        return t == EVENT || t == EVENT_INT || t == EVENT_V2 || t == EVENT_V2_LARGE
                || t == EVENT_FLAGS || t == EVENT_FLAGS_V2 || t == EVENT_FLAGS_V2_LARGE;
    }

    /** V1 event blocks carry no parameter count in the event header. */
    public static boolean hasNparams(int t) {
        return t == EVENT_V2 || t == EVENT_V2_LARGE || t == EVENT_FLAGS_V2 || t == EVENT_FLAGS_V2_LARGE;
    }

    public static boolean hasFlags(int t) {
        return t == EVENT_FLAGS || t == EVENT_FLAGS_V2 || t == EVENT_FLAGS_V2_LARGE;
    }

    /** Large-payload events have u32 parameter lengths instead of u16. */
    public static boolean isLarge(int t) {
        return t == EVENT_V2_LARGE || t == EVENT_FLAGS_V2_LARGE;
    }

    /** The process-list version (1..9) of a block type, or 0 if it is not a process list. */
    public static int proclistVersion(int t) {
        return switch (t) {
            case PROCLIST_V1, PROCLIST_V1_INT -> 1;
            case PROCLIST_V2, PROCLIST_V2_INT -> 2;
            case PROCLIST_V3, PROCLIST_V3_INT -> 3;
            case PROCLIST_V4 -> 4;
            case PROCLIST_V5 -> 5;
            case PROCLIST_V6 -> 6;
            case PROCLIST_V7 -> 7;
            case PROCLIST_V8 -> 8;
            case PROCLIST_V9 -> 9;
            default -> 0;
        };
    }
}
