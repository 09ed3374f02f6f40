package dev.stasis.capture.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Filters sysdig 0.29 cannot parse (transformers, val(), iglob, intersects,
 * bcontains, IPv6 networks, ==, not(...)): stasis must select exactly what
 * sysdig selects for an equivalent filter in sysdig's older dialect
 * (golden-filters/newer-dialect.txt and CAPTURE.newer).
 */
class NewerDialectFilterTest {

    static Stream<Arguments> cases() throws IOException {
        List<String[]> pairs = Files.readAllLines(TestData.golden("newer-dialect.txt")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t")).toList();
        List<Arguments> out = new ArrayList<>();
        for (Path capture : TestData.captures()) {
            String name = capture.getFileName().toString().replace(".scap", "");
            for (String line : Files.readAllLines(TestData.golden(name + ".newer"))) {
                String[] parts = line.split("\t", 2);
                String[] pair = pairs.get(Integer.parseInt(parts[0]) - 1);
                String expected = parts.length > 1 ? parts[1] : "";
                if (expected.startsWith("ERROR")) continue;
                out.add(Arguments.of(name, pair[0], pair[1], expected));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void selectsWhatSysdigSelectsForTheEquivalent(String capture, String filter, String equivalent, String expected)
            throws IOException {
        List<Long> want = expected.isBlank() ? List.of()
                : Arrays.stream(expected.trim().split(" ")).map(Long::parseLong).toList();
        List<Long> got = TestData.select(TestData.capture(capture + ".scap"), Filter.compile(filter));
        java.util.Set<Long> ignored = KnownDeviations.forFilter(capture, filter);
        want = want.stream().filter(n -> !ignored.contains(n)).toList();
        got = got.stream().filter(n -> !ignored.contains(n)).toList();
        assertThat(got).as("%s (sysdig: %s) on %s", filter, equivalent, capture).containsExactlyElementsOf(want);
    }
}
