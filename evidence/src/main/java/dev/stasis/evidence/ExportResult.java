package dev.stasis.evidence;

import java.nio.file.Path;
import java.util.List;

/**
 * An export bundle a third party can check with {@code sha256sum} and {@code openssl}.
 *
 * @param directory the bundle's directory
 * @param files     the files written, relative to it
 */
public record ExportResult(String id, Path directory, List<String> files) {}
