/**
 * One pass over the present pages of a checkpoint's processes for every
 * detector that looks for byte patterns: each subscriber names the literals it
 * needs, one multi-literal matcher finds them all, and each occurrence is
 * handed to its subscriber with the bytes around it, the process and the
 * address. Entry point: {@link dev.stasis.memory.sweep.PageSweep#run}.
 */
package dev.stasis.memory.sweep;
