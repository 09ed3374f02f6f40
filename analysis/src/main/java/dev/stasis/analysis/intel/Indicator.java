package dev.stasis.analysis.intel;

/**
 * One indicator of compromise from a threat-intelligence source.
 *
 * @param value  normalised value: lower-case domain, canonical address, CIDR "a.b.c.d/n", URL, hex digest
 * @param label  what the source says it is (a STIX indicator name, a CSV description), may be null
 * @param source the file it came from (and the STIX id when there is one)
 */
public record Indicator(IndicatorType type, String value, String label, String source) {
    /** "10.88.0.1 (IRC C2 server, from intel.csv)". */
    public String describe() {
        String l = label == null || label.isBlank() ? "" : label + ", ";
        return value + " (" + l + "from " + source + ")";
    }
}
