package dev.stasis.checkpoint.criu;

/**
 * {@code crit show}: the image as indented JSON with crit's field-specific
 * formats (hex addresses and masks, dotted IP addresses, flag names,
 * major:minor device numbers, socket family/type/state names).
 */
public final class CritShow {
    private CritShow() {}

    /** What {@code crit show IMAGE} prints (without its final newline). */
    public static String show(CriuImage image) {
        return show(image, false);
    }

    /** With {@code noPayload}, as {@code crit show --nopl}: payloads replaced by their size. */
    public static String show(CriuImage image, boolean noPayload) {
        return PythonJson.write(CritJson.decode(image, true, noPayload), true);
    }
}
