package dev.stasis.response.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.ResponseException;
import dev.stasis.response.action.Actions;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.Target;
import dev.stasis.response.backend.Checkpoint;
import dev.stasis.response.config.ServeConfig;
import dev.stasis.response.policy.ActionSpec;
import dev.stasis.response.policy.ActionType;
import dev.stasis.response.policy.Policy;
import dev.stasis.response.policy.PolicyLoader;
import dev.stasis.response.policy.PolicyRule;
import java.util.Arrays;
import java.util.List;

/**
 * One action of the policy rule an alert matches, run on its own, with the
 * backends, collectors and Kubernetes access {@code stasis serve} would use
 * with the same configuration: the step of a workflow engine (Argo Workflows)
 * that runs stasis's actions one container at a time, with the policy deciding
 * exactly as it does in {@code stasis serve}. There is no journal and no
 * cool-down here: the workflow engine keeps the state, and its event filter
 * (or the engine in front of it) rate-limits.
 */
public final class SingleStep {
    private SingleStep() {}

    /**
     * @param step   the action's index in its rule: with the alert id, its stable identity (a podman archive is named after it)
     * @param result what the action returned (the journal's step result: a checkpoint's {@code path}, a collect's item)
     */
    public record Outcome(String alertId, String rule, String action, int step, String target, ObjectNode result) {}

    /**
     * @param action     the action to run ({@code checkpoint}, {@code collect}, {@code label}, {@code annotate}, {@code isolate}, {@code notify})
     * @param checkpoint the checkpoint step's result, for {@code collect} (and a notify text's {@code ${checkpoint}}), or null
     * @throws dev.stasis.response.action.ActionException when the action fails ({@code retryable()} says whether trying again may help)
     * @throws ResponseException when the alert matches no rule, or its rule has no such action
     */
    public static Outcome run(ServeConfig cfg, Alert alert, String alertId, String action, JsonNode checkpoint) {
        ActionType type = Arrays.stream(ActionType.values()).filter(t -> t.key().equals(action)).findFirst()
                .orElseThrow(() -> new ResponseException("unknown action '" + action + "' ("
                        + String.join(", ", Arrays.stream(ActionType.values()).map(ActionType::key).toList()) + ")"));
        Policy policy = PolicyLoader.load(cfg.policy());
        PolicyRule rule = policy.firstMatch(alert).orElseThrow(() -> new ResponseException("no rule of " + cfg.policy()
                + " matches this alert (rule '" + alert.rule() + "'): nothing to do"));
        if (policy.dryRun()) throw new ResponseException(cfg.policy() + " is in dry-run: actions are listed (stasis policy test), not run");
        List<ActionSpec> specs = rule.actions();
        int step = -1;
        for (int i = 0; i < specs.size() && step < 0; i++) if (specs.get(i).type() == type) step = i;
        if (step < 0) throw new ResponseException("policy rule '" + rule.name() + "' has no " + action + " action");
        Checkpoint prior = Actions.checkpointOf(checkpoint);
        if (checkpoint != null && prior == null) throw new ResponseException("the checkpoint result given is not one a checkpoint step printed");
        Target target = Target.of(alert);
        Actor actor = Actor.current("stasis-act");
        // the vault is opened only when the action needs it (podman's collect moves the archive into it)
        try (Vault vault = type == ActionType.COLLECT ? Vault.open(VaultConfig.local(cfg.vault())) : null;
             ResponseService.Parts parts = ResponseService.parts(cfg, vault, actor)) {
            ObjectNode result = parts.actions().run(specs.get(step),
                    new Actions.StepInput(alertId, alert, target, rule.name(), prior, step, false), null);
            return new Outcome(alertId, rule.name(), action, step, target.toString(), result);
        }
    }
}
