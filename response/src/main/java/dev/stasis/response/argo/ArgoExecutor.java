package dev.stasis.response.argo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.Target;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code executor: argo}: the engine keeps its intake, policy, cool-down and journal, and hands each alert
 * it acts on to Argo Workflows as one workflow from the {@code stasis-respond} WorkflowTemplate
 * (deploy/argo/workflowtemplate.yaml), whose steps run the rule's actions ({@code stasis act ...}).
 * The submission is the alert's one journalled step: recorded with the workflow's name, it is never made
 * again after a restart or a take-over.
 */
public final class ArgoExecutor {
    /** The journal's step index and type of the submission. */
    public static final int STEP = 0;
    public static final String TYPE = "argo";
    /** The WorkflowTemplate's {@code spec.arguments.parameters}, in its order (ArgoExecutorTest reads them from the template). */
    public static final List<String> PARAMETERS = List.of("alert", "namespace", "pod", "container", "node");

    private final ArgoSubmitter submitter;
    private final ArgoSubmitter.Target target;

    public ArgoExecutor(ArgoSubmitter submitter, ArgoSubmitter.Target target) {
        this.submitter = submitter;
        this.target = target;
    }

    /** One attempt per call: the engine's retry policy and its journal (or shared store) decide when to try again. */
    public static ArgoExecutor of(java.net.http.HttpClient http, ArgoSubmitter.Target target) {
        return new ArgoExecutor(new ArgoSubmitter(http, target, 1, java.time.Duration.ZERO), target);
    }

    public ArgoSubmitter.Target target() {
        return target;
    }

    /** What the Sensor maps from a Falcosidekick body (sensor.yaml), here from the alert as the engine parsed it. */
    public static Map<String, String> parameters(Alert alert) {
        Target t = Target.of(alert);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("alert", alert.raw());
        p.put("namespace", t.namespace());
        p.put("pod", t.pod());
        p.put("container", t.container());
        p.put("node", t.node());
        return p;
    }

    /**
     * Submits the alert's workflow, once.
     *
     * @param lookFirst an earlier attempt may have reached Argo (its attempt record is in the journal, or its answer was lost):
     *                  a workflow already labelled with this alert is adopted instead of submitting another
     * @param before    runs just before the submit request leaves (the engine journals the attempt there)
     * @return {@code {"workflow","namespace","template"[,"adopted":true]}}
     * @throws ActionException retryable on a 5xx or a connection failure, final on a 4xx (the request itself is wrong)
     */
    public ObjectNode submit(String alertId, Alert alert, boolean lookFirst, Runnable before) {
        try {
            if (lookFirst) {
                List<String> found = submitter.find(alertId);
                if (!found.isEmpty()) return result(found.getFirst()).put("adopted", true);
            }
            before.run();
            return switch (submitter.submit(alertId, parameters(alert))) {
                case ArgoSubmitter.Outcome.Submitted s -> result(s.workflowName());
                case ArgoSubmitter.Outcome.Rejected r -> throw new ActionException("the Argo Server refused the workflow (HTTP " + r.status() + "): "
                        + brief(r.body()), false);
            };
        } catch (IOException e) {
            throw new ActionException("cannot submit to the Argo Server at " + target.server() + ": " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("interrupted while submitting to the Argo Server", true, e);
        }
    }

    private ObjectNode result(String workflow) {
        return JsonNodeFactory.instance.objectNode().put("workflow", workflow).put("namespace", target.namespace())
                .put("template", target.workflowTemplate());
    }

    private static String brief(String body) {
        String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return b.isEmpty() ? "no detail" : b.length() > 200 ? b.substring(0, 200) + "..." : b;
    }
}
