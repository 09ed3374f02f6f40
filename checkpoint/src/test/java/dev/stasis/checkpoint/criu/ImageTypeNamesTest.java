package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * File name to image kind, and each kind's lazily found parser. The ground truth is what
 * criu wrote: the magic in each real image's header, and that the header's kind parses it.
 */
class ImageTypeNamesTest {

    @Test
    void everyRealImageNameGivesTheKindItsHeaderNames() {
        int n = 0;
        for (Path archive : TestData.archives()) {
            for (Map.Entry<String, byte[]> img : TestData.images(archive).entrySet()) {
                Optional<ImageType> byName = ImageType.byFileName(img.getKey());
                byte[] b = img.getValue();
                if (byName.isPresent() && byName.get().isRaw()) continue;
                if (b.length < 8 || !headerIsCriu(b)) {
                    assertThat(byName).as(img.getKey() + " has no CRIU header").isEmpty();
                    continue;
                }
                assertThat(byName).as(img.getKey()).contains(ImageReader.sniff(b));
                assertThat(ImageReader.read(b).type().parser()).as(img.getKey()).isNotNull();
                n++;
            }
        }
        assertThat(n).isGreaterThan(150);
    }

    private static boolean headerIsCriu(byte[] b) {
        int first = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        return first == ImageType.IMG_COMMON_MAGIC || first == ImageType.IMG_SERVICE_MAGIC || first == ImageType.INVENTORY.magic();
    }

    @Test
    void namesCriuGivesMatchTheirFormatsOnly() {
        // criu/image-desc.c formats: %u decimal (criu prints negative ids too), %x hex, %s any
        assertThat(ImageType.byFileName("pagemap-shmem-102.img")).contains(ImageType.PAGEMAP);
        assertThat(ImageType.byFileName("pagemap-7.img")).contains(ImageType.PAGEMAP);
        assertThat(ImageType.byFileName("checkpoint/pages-3.img")).contains(ImageType.PAGES);
        assertThat(ImageType.byFileName("tmpfs-dev-44.tar.gz.img")).contains(ImageType.TMPFS_DEV);
        assertThat(ImageType.byFileName("tmpfs-44.tar.gz.img")).contains(ImageType.TMPFS_IMG);
        assertThat(ImageType.byFileName("ghost-file-1a2f.img")).contains(ImageType.GHOST_FILE);
        assertThat(ImageType.byFileName("tcp-stream-c0a80001.img")).contains(ImageType.TCP_STREAM);
        assertThat(ImageType.byFileName("stats-dump")).contains(ImageType.STATS);
        assertThat(ImageType.byFileName("netns-ct--1.img")).contains(ImageType.NETNF_CT);
        assertThat(ImageType.byFileName("binfmt-misc.img")).contains(ImageType.BINFMT_MISC);
        assertThat(ImageType.byFileName("binfmt-misc-3.img")).contains(ImageType.BINFMT_MISC);

        assertThat(ImageType.byFileName("descriptors.json")).isEmpty();
        assertThat(ImageType.byFileName("core-.img")).isEmpty();
        assertThat(ImageType.byFileName("core-12x.img")).isEmpty();
        assertThat(ImageType.byFileName("core--.img")).isEmpty();
        assertThat(ImageType.byFileName("ghost-file-1A.img")).isEmpty();
        assertThat(ImageType.byFileName("stats-.img")).isEmpty();
        assertThat(ImageType.byFileName("inventory")).isEmpty();
    }

    @Test
    void rawKindsHaveNoParserAndTheRestOne() {
        for (ImageType t : ImageType.values()) {
            assertThat(t.parser() == null).as(t.name()).isEqualTo(t.isRaw());
            assertThat(t.parser()).as(t + " twice").isSameAs(t.parser());
        }
    }
}
