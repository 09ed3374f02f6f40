/**
 * What analysts dig out of process memory by hand: shell and REPL history and
 * credentials, each with the process, address and VMA where it was found and
 * the method that found it.
 *
 * <p>Entry point: {@link dev.stasis.memory.artefacts.MemoryArtefacts#scan}. History
 * comes from readline's own history list (bash, and any interpreter linking GNU
 * readline such as python's REPL), walked structurally in the heap; credentials
 * from patterns validated by their own format (a JWT must decode, a key must
 * have its END line). Values are kept whole in the records; masking is
 * {@link dev.stasis.memory.artefacts.Credential#masked()}'s job so that no
 * output shows a secret unless asked.
 */
package dev.stasis.memory.artefacts;
