/**
 * Static analysis of a container checkpoint: {@link dev.stasis.analysis.Analyzer#analyze} loads the
 * checkpoint through the checkpoint and memory modules into a subject, sweeps process memory once,
 * runs the built-in detectors, the analyst's rules, threat intelligence and YARA, and returns an
 * immutable {@link dev.stasis.analysis.report.Report}. The public surface is described in
 * analysis/API.md; {@code load}, {@code detect}, {@code intel}, {@code rules} and {@code yara}
 * are machinery.
 */
package dev.stasis.analysis;
