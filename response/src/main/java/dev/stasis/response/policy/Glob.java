package dev.stasis.response.policy;

import java.util.regex.Pattern;

/** Shell-style glob ({@code *} any run, {@code ?} one character), matched against the whole text. */
public record Glob(String text, Pattern pattern) {
    public static Glob of(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) re.append(Pattern.quote(literal.toString()));
        return new Glob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(String s) {
        return s != null && pattern.matcher(s).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
