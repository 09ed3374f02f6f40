package dev.stasis.cli.response;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.cli.support.Errors;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.response.config.ServeConfig;
import dev.stasis.response.server.SingleStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One action of the policy, run on its own: a step of an Argo workflow (deploy/argo). */
@Command(name = "act", mixinStandardHelpOptions = true, description = {
        "Run one action of the policy rule an alert matches, as 'stasis serve' would, and print its result.",
        "For workflow engines (Argo Workflows, deploy/argo) that run the steps themselves: same configuration,",
        "same policy, same backends; no journal and no cool-down (the workflow engine keeps the state).",
        "Exit codes: 0 done, 1 failed (permanent), 75 failed but worth retrying (a timeout, a node not answering)."},
        footer = {"", "Examples:",
                "  stasis act checkpoint -c stasis.yaml --alert alert.json --alert-id $UID --format json > checkpoint.json",
                "  stasis act collect -c stasis.yaml --alert alert.json --alert-id $UID --checkpoint checkpoint.json",
                "  stasis act label -c stasis.yaml --alert alert.json"})
public final class ActCommand implements Callable<Integer> {
    /** sysexits.h EX_TEMPFAIL: what a retry policy can key on. */
    static final int RETRYABLE = 75;

    @Parameters(paramLabel = "ACTION", description = "checkpoint, collect, label, annotate, isolate or notify (the rule's first action of that kind)")
    String action;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "stasis.yaml", description = "the engine's configuration (its policy, backends, vault)")
    Path config;

    @Option(names = "--alert", required = true, paramLabel = "ALERT.json", description = "the Falco, Falcosidekick or Argo Events alert (- for stdin)")
    String alert;

    @Option(names = "--alert-id", paramLabel = "ID", description = "the alert's id across steps (a workflow's uid); default: the alert's uuid")
    String alertId;

    @Option(names = "--checkpoint", paramLabel = "RESULT.json", description = "the checkpoint step's result (what 'act checkpoint --format json' printed), for collect and notify")
    Path checkpoint;

    @Mixin FormatOption format = FormatOption.of("text or json (default: text)", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        OutputFormat out = format.get();
        ServeConfig cfg = ServeConfig.load(config);
        byte[] body = alert.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(alert));
        Alert a = AlertParser.parse(body);
        String id = alertId != null ? alertId : a.uuid() != null && !a.uuid().isBlank() ? a.uuid() : null;
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}"))
            throw new Errors.ExitCodeException(Errors.FAILURE, id == null ? "the alert has no uuid: give --alert-id" : "--alert-id '" + id
                    + "': letters, digits, '.', '_' and '-' only");
        JsonNode prior = null;
        if (checkpoint != null) {
            JsonNode n = Json.mapper().readTree(Files.readAllBytes(checkpoint));
            prior = n.has("result") ? n.get("result") : n;
        }
        SingleStep.Outcome o;
        try {
            o = SingleStep.run(cfg, a, id, action, prior);
        } catch (ActionException e) {
            throw new Errors.ExitCodeException(e.retryable() ? RETRYABLE : Errors.FAILURE, action + " failed: " + e.getMessage());
        }
        if (out == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alert_id", o.alertId());
            m.put("policy_rule", o.rule());
            m.put("action", o.action());
            m.put("step", o.step());
            m.put("target", o.target());
            m.put("result", o.result());
            Json.print(m);
        } else {
            System.out.println(o.action() + " done for " + o.target() + " (policy rule '" + o.rule() + "', alert " + o.alertId() + "): " + o.result());
        }
        return 0;
    }
}
