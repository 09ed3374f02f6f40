package dev.stasis.checkpoint.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * CRIU names a ghost file's image with its remap id in hex ({@code FD_ENTRY_F(GHOST_FILE, "ghost-file-%x", ...)}
 * in criu/image-desc.c); reading it in decimal loses every ghost file whose id is 10 or more.
 */
class GhostImageNameTest {
    @Test
    void remapIdsAreHex() {
        assertThat(EmbeddedFiles.ghostImageName(1)).isEqualTo("ghost-file-1.img");
        assertThat(EmbeddedFiles.ghostImageName(10)).isEqualTo("ghost-file-a.img");
        assertThat(EmbeddedFiles.ghostImageName(26)).isEqualTo("ghost-file-1a.img");
        assertThat(EmbeddedFiles.ghostImageName(0x7fffffffL)).isEqualTo("ghost-file-7fffffff.img");
    }
}
