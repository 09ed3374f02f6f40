package dev.stasis.capture.scap;

/** The section header block: format version of the capture. */
public record SectionHeader(int majorVersion, int minorVersion, long sectionLength) {
    public String version() {
        return majorVersion + "." + minorVersion;
    }
}
