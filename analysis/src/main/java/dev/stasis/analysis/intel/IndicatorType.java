package dev.stasis.analysis.intel;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an indicator's value is. */
public enum IndicatorType {
    IPV4, IPV6, CIDR, DOMAIN, URL, SHA256;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
