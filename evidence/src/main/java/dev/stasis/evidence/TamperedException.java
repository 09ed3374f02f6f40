package dev.stasis.evidence;

/** Stored evidence no longer matches what was signed: names the part that changed. */
public final class TamperedException extends EvidenceException {
    private final Part part;

    public TamperedException(Part part, String message) {
        super(message);
        this.part = part;
    }

    public Part part() {
        return part;
    }
}
