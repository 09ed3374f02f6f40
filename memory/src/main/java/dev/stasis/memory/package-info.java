/**
 * Process memory from CRIU checkpoints: address spaces rebuilt from the
 * {@code mm}, {@code pagemap} and {@code pages} images, and what is built on
 * them (maps, search, strings, dumps, ELF core files).
 *
 * <p>Entry point: {@link dev.stasis.memory.CheckpointMemory#load(MemorySource)}.
 * Page bytes are always read from the checkpoint through a {@link MemorySource};
 * nothing is ever read from the analyst's own disk. The images are decoded by the
 * checkpoint module's reader into its typed records ({@code criu.PstreeEntry},
 * {@code CoreImage}, {@code MmImage}, {@code PagemapImage}, {@code FileEntries},
 * {@code MountPoint}); this module never sees CRIU's generated protobuf classes.
 */
package dev.stasis.memory;
