package dev.stasis.analysis.rules;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Severity;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One user rule: what it reports and what it matches.
 *
 * @param subject  what it looks at: process, socket, file, deleted, env, mount, spec or memory
 * @param where    the condition on the object's facts (for memory: on the process scanned)
 * @param memory   for memory rules, the pattern searched in each (matching) process's memory
 * @param origin   the file the rule came from, for the finding's source
 */
public record Rule(String id, String title, Severity severity, Confidence confidence, List<String> techniques, String why,
                   String subject, Condition where, Pattern memory, int limit, String origin) {}
