package dev.stasis.cli.checkpoint;

import dev.stasis.cli.checkpoint.crit.CritDecodeCommand;
import dev.stasis.cli.checkpoint.crit.CritExploreCommand;
import dev.stasis.cli.checkpoint.crit.CritInfoCommand;
import dev.stasis.cli.checkpoint.crit.CritShowCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stasis crit}: crit's decode, show, info and x, on images, directories and archives. */
@Command(name = "crit", mixinStandardHelpOptions = true,
        description = "Decode CRIU images (crit-compatible).",
        subcommands = {CritDecodeCommand.class, CritShowCommand.class, CritInfoCommand.class, CritExploreCommand.class})
public final class CritCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw dev.stasis.cli.support.Errors.missingCommand(spec);
    }
}
