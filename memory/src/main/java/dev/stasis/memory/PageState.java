package dev.stasis.memory;

/** Where the bytes of one virtual page come from, as far as the checkpoint can tell. */
public enum PageState {
    /** The page's bytes are in the checkpoint. */
    DATA,
    /** Private anonymous memory never touched: zero by definition, so zeros are the true content. */
    ZERO,
    /** A page of a file mapping that CRIU did not dump (unchanged file content, not in the checkpoint). */
    FILE_NOT_DUMPED,
    /** Dumped into a pre-dump parent image that this checkpoint does not contain. */
    IN_PARENT,
    /** Left for lazy migration (page server); not in the checkpoint. */
    LAZY,
    /** No VMA covers the address. */
    UNMAPPED;

    /** True when the bytes returned for such a page are the process's real memory. */
    public boolean known() {
        return this == DATA || this == ZERO;
    }
}
