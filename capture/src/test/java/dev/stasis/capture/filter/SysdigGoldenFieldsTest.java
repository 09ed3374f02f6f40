package dev.stasis.capture.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Field values stasis prints with {@code -p} agree with sysdig's for the same
 * format, event by event: golden-filters/CAPTURE.fields is sysdig's output of
 * the FIELDS_FORMAT in regenerate.sh.
 */
class SysdigGoldenFieldsTest {
    static final String FORMAT = formatFromScript();

    static String formatFromScript() {
        try {
            String script = Files.readString(TestData.golden("regenerate.sh"));
            Matcher m = Pattern.compile("FIELDS_FORMAT='([^']*)'").matcher(script);
            if (!m.find()) throw new IllegalStateException("no FIELDS_FORMAT in regenerate.sh");
            return m.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        String[] names = FORMAT.substring(1).split("\\|");
        for (Path capture : TestData.captures()) {
            for (int i = 1; i < names.length; i++) {
                out.add(Arguments.of(capture.getFileName().toString().replace(".scap", ""), names[i].substring(1), i));
            }
        }
        return out.stream();
    }

    /** Renders every event with stasis: event number to the '|'-separated fields. */
    static Map<String, String[]> render(String capture) throws IOException {
        OutputFormat format = OutputFormat.compile(FORMAT);
        Map<String, String[]> out = new HashMap<>();
        TestData.forEachEvent(TestData.capture(capture + ".scap"), e -> {
            String line = format.format(e);
            String[] parts = line.split("\\|", -1);
            out.put(parts[0], parts);
        });
        return out;
    }

    private static final Map<String, Map<String, String[]>> CACHE = new HashMap<>();

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void fieldAgreesWithSysdig(String capture, String field, int column) throws IOException {
        Map<String, String[]> mine;
        synchronized (CACHE) {
            mine = CACHE.get(capture);
            if (mine == null) {
                mine = render(capture);
                CACHE.put(capture, mine);
            }
        }
        List<String> mismatches = new ArrayList<>();
        int lines = 0;
        for (String line : Files.readAllLines(TestData.golden(capture + ".fields"))) {
            String[] want = line.split("\\|", -1);
            if (want.length <= column) continue;
            // evt.args is last and may itself contain '|': join the tail back.
            String expected = column == want.length - 1 || !field.equals("evt.args") ? want[column]
                    : String.join("|", java.util.Arrays.copyOfRange(want, column, want.length));
            String[] got = mine.get(want[0]);
            lines++;
            String actual = got == null ? "(event missing)" : column >= got.length ? "(none)"
                    : field.equals("evt.args") ? String.join("|", java.util.Arrays.copyOfRange(got, column, got.length))
                    : got[column];
            if (field.equals("evt.args")) expected = String.join("|", java.util.Arrays.copyOfRange(want, column, want.length));
            String typechar = want.length > 15 ? want[15] : "";
            if (!expected.equals(actual) && KnownDeviations.field(capture, want[0], field, typechar)) continue;
            if (!expected.equals(actual)) mismatches.add("evt " + want[0] + ": sysdig '" + expected + "' stasis '" + actual + "'");
        }
        assertThat(lines).isPositive();
        assertThat(mismatches).as("%s on %s", field, capture).isEmpty();
    }
}
