/**
 * Falco rules: loading rules files and replaying them on captures.
 *
 * <pre>
 * RuleSet set = KnownEvents.loader().add(Path.of("falco_rules.yaml")).add(Path.of("local.yaml")).compile();
 * set.skipped();   // rules that cannot run here, each with its reason
 * RuleEngine engine = new RuleEngine(set, Priority.DEBUG, false, null, ZoneId.systemDefault());
 * for (Alert a : engine.evaluate(ScapEventView.of(event))) Json.print(a.toJson());  // Falco's JSON alert shape
 * </pre>
 *
 * Lists are substituted into conditions as text and macros into the parsed tree, as Falco's
 * rule compiler does; {@code append: true} and {@code override:} change earlier items;
 * exceptions become {@code and not (...)} clauses.
 */
package dev.stasis.capture.falco;
