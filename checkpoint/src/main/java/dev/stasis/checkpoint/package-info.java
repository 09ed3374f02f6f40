/** Checkpoint archives and CRIU images. */
package dev.stasis.checkpoint;
