package dev.stasis.response.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stasis.evidence.Provenance;

/**
 * What the caller said about an archive (pod, container, image, alert, reason),
 * kept apart from what the agent observed. The agent cannot check any of it: it
 * is recorded, signed, as the named caller's claim.
 *
 * @param claimedBy  the caller's identity as the agent authenticated it
 * @param provenance the provenance the caller sent, or null
 * @param reason     the reason the caller gave, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallerClaim(@JsonProperty("claimed_by") String claimedBy, Provenance provenance, String reason) {

    /** Marks the JSON document as a claim wherever it ends up. */
    public static final String KIND = "stasis.dev/caller-claim/v1";

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /**
     * The record that goes into the vault's signed manifest: the claim, and beside it
     * the observation, each under its own key, so that a reader never takes one for the other.
     */
    public String document(Observation observed) {
        var root = JSON.createObjectNode();
        root.put("kind", KIND);
        root.put("note", "'claim' is what the caller sent, unverified; 'observed' is what the agent read itself");
        root.set("claim", JSON.valueToTree(this));
        root.set("observed", JSON.valueToTree(observed));
        return root.toString();
    }
}
