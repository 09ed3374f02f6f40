/**
 * The vocabulary the modules share, each word defined once: values that more than one
 * module reads or prints and that must read and print the same everywhere.
 * {@link dev.stasis.vocabulary.Priority} is a Falco rule's priority, as the rules
 * replay (capture) and the alert intake (response) both use it;
 * {@link dev.stasis.vocabulary.LinuxCapabilities} the capability names CRIU's images
 * (checkpoint) and libsinsp's fields (capture) both number;
 * {@link dev.stasis.vocabulary.IpAddresses} the one address formatter, with one method per
 * tool whose text stasis must reproduce (sysdig's inet_ntop, crit's Python, checkpointctl's Go).
 * This module depends on nothing, so that any module may use it.
 */
package dev.stasis.vocabulary;
