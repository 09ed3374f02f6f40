package dev.stasis.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Against Falco's own table and rule (falcosecurity/falco, userspace/engine/falco_common.cpp):
 * priority_names in enum order, parse_priority = strcasecmp against a name, or "info" for
 * Informational.
 */
class PriorityTest {
    static final List<String> FALCO_NAMES =
            List.of("Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug");

    @Test
    void falcosNamesAndOrder() {
        assertThat(List.of(Priority.values())).extracting(Priority::falcoName).isEqualTo(FALCO_NAMES);
        for (int i = 0; i < FALCO_NAMES.size(); i++) {
            String name = FALCO_NAMES.get(i);
            for (String spelling : List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT))) {
                assertThat(Priority.parse(spelling)).as(spelling).contains(Priority.values()[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"info", "Info", "INFO", "iNfO"})
    void infoIsInformational(String spelling) {
        assertThat(Priority.parse(spelling)).contains(Priority.INFORMATIONAL);
    }

    /** Falco rejects these ("Unknown priority value"), so stasis does too. */
    @ParameterizedTest
    @ValueSource(strings = {"warn", "WARN", "err", "crit", "debugging", " Warning", "Warning ", "", "ınfo", "Informationa"})
    void whatFalcoRejects(String spelling) {
        assertThat(Priority.parse(spelling)).isEmpty();
    }

    @Test
    void severityOrder() {
        assertThat(Priority.EMERGENCY.atLeast(Priority.CRITICAL)).isTrue();
        assertThat(Priority.CRITICAL.atLeast(Priority.CRITICAL)).isTrue();
        assertThat(Priority.WARNING.atLeast(Priority.CRITICAL)).isFalse();
        assertThat(Priority.parse(null)).isEmpty();
    }
}
