package dev.stasis.analysis;

import java.nio.file.Path;
import java.util.List;

/**
 * What an analysis uses besides the checkpoint.
 *
 * @param intel threat-intelligence files (plain lists, CSV, STIX 2.1 bundles)
 * @param rules rule files or directories: YAML rules (*.yaml, *.yml) and YARA rules (*.yar, *.yara)
 */
public record AnalysisOptions(List<Path> intel, List<Path> rules) {
    public AnalysisOptions {
        intel = intel == null ? List.of() : List.copyOf(intel);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(List.of(), List.of());
    }
}
