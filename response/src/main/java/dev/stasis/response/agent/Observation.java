package dev.stasis.response.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What the agent saw itself, from the descriptors it read: the facts of a collection.
 *
 * @param node        this agent's node name (its own configuration, not the request)
 * @param path        the archive's path in the checkpoint directory (as resolved at start)
 * @param size        bytes read through the descriptor
 * @param sha256      hash of those bytes
 * @param modified    the file's modification time when opened
 * @param collectedAt when the agent read it (its own clock)
 */
public record Observation(String node, String path, long size, String sha256, Instant modified,
                          @JsonProperty("collected_at") Instant collectedAt) {}
