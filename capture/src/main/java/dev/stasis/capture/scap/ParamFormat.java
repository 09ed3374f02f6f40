package dev.stasis.capture.scap;

/** How a numeric parameter is printed (ppm_print_format). */
public enum ParamFormat {
    NA, DEC, HEX, PADDED_DEC, ID, DIR, OCT;

    public static ParamFormat ofC(String c) {
        if (c == null || c.isEmpty()) {
            return NA;
        }
        return valueOf(c.startsWith("PF_") ? c.substring(3) : c);
    }
}
