package dev.stasis.capture.scap;

/** Parameter types of the driver's event table (ppm_param_type). */
public enum ParamType {
    NONE, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, CHARBUF, BYTEBUF, ERRNO, SOCKADDR,
    SOCKTUPLE, FD, PID, FDLIST, FSPATH, SYSCALLID, SIGTYPE, RELTIME, ABSTIME, PORT, L4PROTO, SOCKFAMILY,
    BOOL, IPV4ADDR, DYN, FLAGS8, FLAGS16, FLAGS32, UID, GID, DOUBLE, SIGSET, CHARBUFARRAY,
    CHARBUF_PAIR_ARRAY, IPV4NET, IPV6ADDR, IPV6NET, IPADDR, IPNET, MODE, FSRELPATH, ENUMFLAGS8,
    ENUMFLAGS16, ENUMFLAGS32, FD32, PID32;

    /** Parses the C name, e.g. {@code PT_FSPATH}. */
    public static ParamType ofC(String c) {
        if (c == null || c.isEmpty()) {
            return NONE;
        }
        return valueOf(c.startsWith("PT_") ? c.substring(3) : c);
    }

    /** Fixed encoded size in bytes, or -1 for variable-length types. */
    public int fixedSize() {
        return switch (this) {
            case INT8, UINT8, FLAGS8, ENUMFLAGS8, SIGTYPE, L4PROTO, SOCKFAMILY -> 1;
            case INT16, UINT16, FLAGS16, ENUMFLAGS16, PORT, SYSCALLID -> 2;
            case INT32, UINT32, FLAGS32, ENUMFLAGS32, UID, GID, MODE, IPV4ADDR, BOOL, FD32, PID32, SIGSET -> 4;
            case INT64, UINT64, ERRNO, FD, PID, RELTIME, ABSTIME, DOUBLE -> 8;
            case IPV6ADDR -> 16;
            default -> -1;
        };
    }
}
