/**
 * Automated response to Falco alerts: an alert is parsed ({@code alert}), matched against the
 * response policy ({@code policy}), journaled, and its actions (checkpoint through podman or the
 * kubelet, collect into the evidence vault, label, notify) run with retries ({@code engine},
 * {@code action}, {@code backend}, {@code collect}). {@code server} is {@code stasis serve}'s HTTP
 * intake, {@code agent} the per-node collector. Public entry points and what is internal:
 * response/API.md.
 */
package dev.stasis.response;
