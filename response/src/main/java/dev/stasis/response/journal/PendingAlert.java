package dev.stasis.response.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * An alert read back from the journal whose actions had not all finished.
 *
 * @param id         the alert id given when it was accepted
 * @param receivedAt when it was accepted (epoch milliseconds)
 * @param key        its container's cool-down key
 * @param rule       the policy rule that matched
 * @param alert      the alert object as received
 * @param steps      results of the steps that completed, by step index
 * @param attempts   checkpoint steps that had started (an {@code attempt} record) when the engine stopped, by step index
 */
public record PendingAlert(String id, long receivedAt, String key, String rule, JsonNode alert, Map<Integer, JsonNode> steps,
                           Map<Integer, JsonNode> attempts) {}
