package dev.stasis.capture.filter;

import java.util.List;

/**
 * Several values of which any may match, as libsinsp treats {@code proc.aname}
 * and {@code proc.apid} without an index: the check holds when it holds for
 * one of the ancestors.
 */
public record AnyOf(List<Object> values, boolean allMustDiffer) {
    public AnyOf {
        values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }
}
