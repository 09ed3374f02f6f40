package dev.stasis.cli.support;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Builds the stasis command line for some arguments. The root command implements
 * it, so that the commands which run other commands (the AOT training run and the
 * background JVM) reach the whole tree through their own picocli spec instead of
 * depending on the class that wires them in: dependencies point from {@code Main}
 * down, never back.
 */
public interface CommandTree {
    /** A fresh command line for {@code args} (commands keep state, so one per run). */
    CommandLine build(String[] args);

    /** What the launcher knows about each command: served, JVM flags, training runs. */
    CommandTable table();

    /** The tree the running command {@code spec} belongs to: its root command's. */
    static CommandTree of(CommandSpec spec) {
        if (spec.root().userObject() instanceof CommandTree tree) return tree;
        throw new IllegalStateException("the root command " + spec.root().name() + " does not build the command tree");
    }
}
