/**
 * The dynamic half of the chain: a checkpoint brought back to life in a cage.
 * {@code image} builds OCI checkpoint images that CRI-O, podman and containerd
 * recognise; {@code manifest} writes hardened Kubernetes restore manifests;
 * {@code run} restores locally behind a sinkhole and records what the
 * restored processes do.
 */
package dev.stasis.sandbox;
