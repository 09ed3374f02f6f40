package dev.stasis.capture.filter;

/**
 * The type of a field's value, which decides how the right-hand side of a
 * check is parsed and compared (libsinsp's ppm_param_type for filterchecks).
 * Java values: STRING String, INT/UINT/PORT/RELTIME/ABSTIME Long, BOOL Boolean,
 * IPADDR/IPNET java.net.InetAddress, BYTES byte[].
 */
public enum FieldType {
    STRING, INT, UINT, PORT, RELTIME, ABSTIME, BOOL, IPADDR, IPNET, BYTES,
    /** A RELTIME or ABSTIME part that sysdig prints zero-padded to nine digits (PF_10_PADDED_DEC): evt.reltime. */
    PADDED_TIME,
    /** The type follows the value: evt.rawarg.X, whose type is the event parameter's. */
    DYNAMIC;

    public boolean numeric() {
        return this == INT || this == UINT || this == PORT || this == RELTIME || this == ABSTIME || this == PADDED_TIME;
    }

    public boolean ip() {
        return this == IPADDR || this == IPNET;
    }
}
