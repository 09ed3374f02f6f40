package dev.stasis.memory.search;

import dev.stasis.memory.Vma;

/**
 * One match as one process sees it. A match in shared memory yields one hit
 * per process mapping it ({@code shared} is then true). {@code before} and
 * {@code after} are the context bytes around the match, cut at the VMA's edges.
 */
public record SearchHit(int pid, String process, long address, Vma vma, byte[] match, byte[] before, byte[] after,
                        String pagesImage, long fileOffset, boolean shared) {}
