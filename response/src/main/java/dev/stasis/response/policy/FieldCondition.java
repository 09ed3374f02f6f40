package dev.stasis.response.policy;

import dev.stasis.response.alert.Alert;
import java.util.List;
import java.util.regex.Pattern;

/** A condition on one output field; all of a rule's conditions must hold. */
public sealed interface FieldCondition {
    String field();

    boolean test(Alert alert);

    /** The field is present and not null. */
    record Exists(String field, boolean present) implements FieldCondition {
        public boolean test(Alert a) {
            return (a.outputFields().get(field) != null) == present;
        }
    }

    /** The field equals one of the values (glob patterns allowed). */
    record In(String field, List<Glob> values) implements FieldCondition {
        public boolean test(Alert a) {
            if (a.outputFields().get(field) == null) return false;
            String v = a.field(field);
            return values.stream().anyMatch(g -> g.matches(v));
        }
    }

    /** The field equals none of the values (absent counts as none). */
    record NotIn(String field, List<Glob> values) implements FieldCondition {
        public boolean test(Alert a) {
            String v = a.field(field);
            return values.stream().noneMatch(g -> g.matches(v));
        }
    }

    /** The field matches a regular expression (find). */
    record Regex(String field, Pattern pattern) implements FieldCondition {
        public boolean test(Alert a) {
            return a.outputFields().get(field) != null && pattern.matcher(a.field(field)).find();
        }
    }
}
