package dev.stasis.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Against the kernel's own header, as installed on this machine (linux-libc-dev). */
class LinuxCapabilitiesTest {
    static final Path HEADER = Path.of("/usr/include/linux/capability.h");

    @Test
    void theTableIsTheKernelHeaders() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(HEADER), HEADER + " is not installed (linux-libc-dev)");
        Map<Integer, String> header = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^#define (CAP_[A-Z_]+)\\s+(\\d+)\\s*$").matcher(Files.readString(HEADER));
        while (m.find()) {
            if (!m.group(1).equals("CAP_LAST_CAP")) header.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        assertThat(header).hasSizeGreaterThanOrEqualTo(LinuxCapabilities.NAMES.size());
        for (int bit = 0; bit < LinuxCapabilities.NAMES.size(); bit++) {
            assertThat(LinuxCapabilities.name(bit)).as("bit " + bit).isEqualTo(header.get(bit));
        }
    }

    @Test
    void unknownBitsAreNumbered() {
        assertThat(LinuxCapabilities.name(63)).isEqualTo("CAP_63");
        assertThat(LinuxCapabilities.name(-1)).isEqualTo("CAP_-1");
        assertThat(LinuxCapabilities.known(40)).isTrue();
        assertThat(LinuxCapabilities.known(41)).isFalse();
    }
}
