/**
 * What the detectors read: a checkpoint reduced to processes, sockets, files, the container's
 * launch settings and a view of memory. Public only so that tests can build subjects by hand
 * ({@code Analyzer.analyze(Subject, ...)}); not an API for other modules.
 */
package dev.stasis.analysis.subject;
