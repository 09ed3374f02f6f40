package dev.stasis.capture.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The {@code regex} operator as Falco (libsinsp >= 0.36) defines it: RE2 syntax,
 * matched against the whole value (RE2 ANCHOR_BOTH), string fields only. sysdig
 * 0.29 has no regex; the captures' selections are checked against equivalent
 * older filters in golden-filters/newer-dialect.txt.
 */
class RegexOperatorTest {
    private static boolean m(String filter) {
        return Filter.compile(filter).matches(new FakeEvent()); // proc.name=bash, fd.name=/etc/passwd
    }

    @Test
    void matchesTheWholeValue() {
        assertThat(m("proc.name regex 'ba.h'")).isTrue();
        assertThat(m("proc.name regex 'as'")).isFalse(); // not a search: anchored at both ends
        assertThat(m("proc.name regex '.*as.*'")).isTrue();
        assertThat(m("fd.name regex '/etc/(passwd|shadow)'")).isTrue();
        assertThat(m("fd.name regex \"/etc/[a-z]{6}\"")).isTrue();
        assertThat(m("not fd.name regex '/tmp/.*'")).isTrue();
    }

    @Test
    void re2SpellingsAreUnderstood() {
        assertThat(m("proc.name regex '[[:lower:]]+'")).isTrue();
        assertThat(m("proc.name regex '[[:^lower:]]+'")).isFalse();
        assertThat(m("fd.name regex '(?P<dir>/[a-z]+)/passwd'")).isTrue();
        assertThat(m("proc.name regex '(?i)BASH'")).isTrue();
        assertThat(m("fd.name regex '\\Q/etc/\\E.*'")).isTrue();
    }

    @Test
    void whatRe2RejectsIsAFilterError() {
        assertThatThrownBy(() -> Filter.compile("proc.name regex '(b)\\1'"))
                .isInstanceOf(FilterException.class).hasMessageContaining("backreferences");
        assertThatThrownBy(() -> Filter.compile("proc.name regex 'ba(?=sh)'"))
                .isInstanceOf(FilterException.class).hasMessageContaining("look-around");
        assertThatThrownBy(() -> Filter.compile("proc.name regex 'a++'"))
                .isInstanceOf(FilterException.class).hasMessageContaining("possessive");
        assertThatThrownBy(() -> Filter.compile("proc.name regex '(unclosed'"))
                .isInstanceOf(FilterException.class).hasMessageContaining("invalid regular expression");
        FilterException e = org.junit.jupiter.api.Assertions.assertThrows(FilterException.class,
                () -> Filter.compile("evt.type=open and proc.name regex '[x'"));
        assertThat(e.getMessage()).contains("missing closing ]");
    }

    @Test
    void onlyStringFieldsTakeIt() {
        assertThatThrownBy(() -> Filter.compile("proc.pid regex '1.*'"))
                .isInstanceOf(FilterException.class).hasMessageContaining("'regex' operator not supported");
        assertThatThrownBy(() -> Filter.compile("fd.sip regex '10\\..*'"))
                .isInstanceOf(FilterException.class).hasMessageContaining("'regex' operator not supported");
    }

    @Test
    void worksWithTransformersAndAsAFalcoCondition() {
        assertThat(m("toupper(proc.name) regex 'B[A-Z]+'")).isTrue();
        assertThat(m("basename(fd.name) regex 'pass.*'")).isTrue();
    }
}
