package dev.stasis.response.backend;

import java.time.Instant;

/**
 * A checkpoint archive a backend wrote.
 *
 * @param backend the backend's name (podman, kubelet)
 * @param node    the node whose disk holds it ("" for the local machine)
 * @param path    where it is on that node's disk
 * @param takenAt when the checkpoint finished
 */
public record Checkpoint(String backend, String node, String path, Instant takenAt) {}
