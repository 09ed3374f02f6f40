/**
 * A warm JVM for the short commands. A JVM pays a few hundred milliseconds
 * before a command's first useful instruction (class loading, picocli's
 * annotation reading, interpreted code); for a command that then works for
 * twenty milliseconds on a small checkpoint that start is nearly all of its
 * time. The launcher therefore keeps one background JVM per user and build
 * ({@link DaemonCommand}), and runs those commands in it
 * through a small client, {@code .mvn/stasis-client.pl} (Perl without modules:
 * it starts in 2 ms where a client JVM would take 40-70 ms).
 *
 * <p>Each request carries the client's working directory, whether it sits at a
 * terminal and the variables of {@code CommandTable.PASSED_ENV}; the command reads
 * them through {@code support.Invocation}, so relative paths and settings mean the
 * same as in a JVM of the command's own. What a JVM reads once for good (time zone,
 * locale, umask, PATH) keys the background JVM instead, and anything that asks for
 * debugging output or other JVM options runs in a JVM of its own. A command
 * that turns out to read standard input is declined, before any of its output
 * has been sent, and runs in a JVM of its own. The background JVM serves one
 * command at a time: a client that finds it busy runs its own JVM.
 * It leaves after ten idle minutes, and when a client goes away mid-command (the
 * user pressed Ctrl-C) it stops at once so that the work stops too.
 */
package dev.stasis.cli.daemon;
