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
 * For every shared capture and every filter of golden-filters/filters.txt, stasis
 * selects exactly the events sysdig 0.29.3 selected ({@code sysdig -r FILE FILTER
 * -p %evt.num}, recorded by golden-filters/regenerate.sh). Filters sysdig cannot
 * parse are recorded as ERROR and checked by hand in {@link NewerDialectFilterTest}.
 */
class SysdigGoldenFilterTest {

    static Stream<Arguments> cases() throws IOException {
        List<String> filters = Files.readAllLines(TestData.golden("filters.txt"));
        List<Arguments> out = new ArrayList<>();
        for (Path capture : TestData.captures()) {
            String name = capture.getFileName().toString().replace(".scap", "");
            for (String line : Files.readAllLines(TestData.golden(name + ".golden"))) {
                String[] parts = line.split("\t", 2);
                int n = Integer.parseInt(parts[0]);
                String expected = parts.length > 1 ? parts[1] : "";
                if (expected.startsWith("ERROR")) continue;
                out.add(Arguments.of(name, filters.get(n - 1), expected));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void selectsTheSameEventsAsSysdig(String capture, String filter, String expected) throws IOException {
        List<Long> want = expected.isBlank() ? List.of()
                : Arrays.stream(expected.trim().split(" ")).map(Long::parseLong).toList();
        List<Long> got = TestData.select(TestData.capture(capture + ".scap"), Filter.compile(filter));
        java.util.Set<Long> ignored = KnownDeviations.forFilter(capture, filter);
        want = want.stream().filter(n -> !ignored.contains(n)).toList();
        got = got.stream().filter(n -> !ignored.contains(n)).toList();
        assertThat(got).as("%s on %s", filter, capture).containsExactlyElementsOf(want);
    }

    @org.junit.jupiter.api.Test
    void coversAtLeastThirtyFiltersSysdigParses() throws IOException {
        long parsed = Files.readAllLines(TestData.golden("falco_cat_write.golden")).stream()
                .filter(l -> !l.contains("\tERROR")).count();
        assertThat(parsed).isGreaterThanOrEqualTo(30);
    }
}
