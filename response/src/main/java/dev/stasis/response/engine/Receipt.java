package dev.stasis.response.engine;

/** The answer to an accepted alert: its id (for the journal, logs and custody records) and the decision. */
public record Receipt(String id, Decision decision) {}
