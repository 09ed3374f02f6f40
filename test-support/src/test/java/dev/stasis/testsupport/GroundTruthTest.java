package dev.stasis.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class GroundTruthTest {
    @Test
    void presentToolsPassInEveryMode() {
        assertThatCode(() -> GroundTruth.require(true, "x", Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> GroundTruth.require(true, "x", Map.of(GroundTruth.STRICT, "1"))).doesNotThrowAnyException();
    }

    @Test
    void aMissingToolSkipsOutsideStrictCi() {
        assertThatThrownBy(() -> GroundTruth.require(false, "sysdig is not installed", Map.of()))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("sysdig is not installed");
        assertThatThrownBy(() -> GroundTruth.require(false, "gdb", Map.of(GroundTruth.STRICT, "0")))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aMissingToolFailsInStrictCi() {
        assertThatThrownBy(() -> GroundTruth.require(false, "sysdig is not installed", Map.of(GroundTruth.STRICT, "1")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("STASIS_CI_STRICT=1").hasMessageContaining("sysdig is not installed");
    }
}
