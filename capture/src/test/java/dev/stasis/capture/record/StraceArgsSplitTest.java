package dev.stasis.capture.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Splitting strace argument lists and finding their closing parenthesis: commas, brackets and
 * parentheses inside string literals (with escaped quotes and backslashes) belong to the string.
 * The lines are strace 6.x's own output ({@code -xx -yy}).
 */
class StraceArgsSplitTest {
    @Test
    void commasAndBracketsInsideStringsDoNotSplit() {
        assertThat(StraceArgs.split("1</dev/pts/0<char 136:0>>, \"a, (b) [c] \\\"d\\\", e\\\\\", 12"))
                .containsExactly("1</dev/pts/0<char 136:0>>", "\"a, (b) [c] \\\"d\\\", e\\\\\"", "12");
        assertThat(StraceArgs.split("AT_FDCWD</root>, \"/tmp/x\", O_WRONLY|O_CREAT, 0644"))
                .containsExactly("AT_FDCWD</root>", "\"/tmp/x\"", "O_WRONLY|O_CREAT", "0644");
        assertThat(StraceArgs.split("[\"sh\", \"-c\", \"echo a,b\"], {sa_family=AF_INET, sin_port=htons(80)}"))
                .containsExactly("[\"sh\", \"-c\", \"echo a,b\"]", "{sa_family=AF_INET, sin_port=htons(80)}");
        // a string cut at the end of the line keeps the rest as one argument
        assertThat(StraceArgs.split("3, \"abc, def")).containsExactly("3", "\"abc, def");
    }

    @Test
    void theMatchingParenthesisSkipsStringsAndNesting() {
        String line = "write(1</dev/pts/0>, \"x) (\\\")\", 7) = 7";
        int open = line.indexOf('(');
        assertThat(StraceArgs.matchingParen(line, open)).isEqualTo(line.lastIndexOf(')', line.indexOf(" = ")));
        assertThat(StraceArgs.matchingParen("f(\"unterminated)", 1)).isEqualTo(-1);
        assertThat(StraceArgs.matchingParen("f([1, 2]], 3)", 1)).isEqualTo(-1);
        assertThat(StraceArgs.closingQuote("\"a\\\"b\" c", 0)).isEqualTo(5);
        assertThat(StraceArgs.closingQuote("\"abc", 0)).isEqualTo(4);
    }
}
