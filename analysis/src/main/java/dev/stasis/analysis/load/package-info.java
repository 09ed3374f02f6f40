/**
 * Internal: builds the analysis subject from a checkpoint. Every byte of CRIU's images is decoded
 * by the checkpoint module (its model, {@code EmbeddedFiles}, {@code RuntimeSpec}, {@code PageRun},
 * {@code TcpStreamState}) and memory module; the classes here only select and interpret, and turn
 * whatever is missing or damaged into a one-line notice in the report instead of an error.
 */
package dev.stasis.analysis.load;
