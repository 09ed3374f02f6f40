package dev.stasis.cli.sandbox;

import dev.stasis.cli.evidence.VaultOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What every sandbox command starts from, as one mixin: the checkpoint (a file, a directory or a
 * vault item id), why it is used (for the custody log, when a vault item is read or a result
 * stored) and the vault options a vault item needs.
 */
final class SandboxSource {
    @Parameters(index = "0", paramLabel = "ARCHIVE|VAULT-ITEM-ID", description = "checkpoint archive or directory, or a vault item id (prefix)")
    String input;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (custody log; default: \"${COMMAND-FULL-NAME}\")")
    String reason;

    @Mixin
    VaultOptions vault;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The reason given, or the command that reads the item ("stasis sandbox image"). */
    String reason() {
        return reason != null ? reason : command.qualifiedName();
    }

    /** The checkpoint: the file as given, or a hash-checked private copy of the vault item. */
    SandboxInput open() {
        return SandboxInput.resolve(input, vault, reason());
    }
}
