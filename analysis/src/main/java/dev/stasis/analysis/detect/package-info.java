/**
 * Internal: the built-in detectors ({@code BuiltinDetectors.all()}), each reading the subject and
 * the one memory sweep ({@code MemoryScan}) and returning findings with their evidence. The only
 * class used outside the module is {@link dev.stasis.analysis.detect.SecretEnv}, the one rule for
 * secrets in environments that {@code inspect} masks with too.
 */
package dev.stasis.analysis.detect;
