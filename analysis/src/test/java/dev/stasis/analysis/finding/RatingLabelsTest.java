package dev.stasis.analysis.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The labels RULES.md and REPORT-SCHEMA.md document, in both directions. */
class RatingLabelsTest {
    @Test
    void labelsAreLowerCaseAndParseInAnyCase() {
        assertThat(Severity.CRITICAL.label()).isEqualTo("critical");
        assertThat(Confidence.MEDIUM.label()).isEqualTo("medium");
        assertThat(Severity.parse(" High ")).isEqualTo(Severity.HIGH);
        assertThat(Confidence.parse("low")).isEqualTo(Confidence.LOW);
    }

    @Test
    void anUnknownLabelNamesTheValidOnes() {
        assertThatThrownBy(() -> Severity.parse("severe")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown severity 'severe' (expected info, low, medium, high or critical)");
        assertThatThrownBy(() -> Confidence.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown confidence 'null' (expected low, medium or high)");
    }
}
