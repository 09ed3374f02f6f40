package dev.stasis.cli.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stasis man [COMMAND...]}: a command's manual page, or with {@code -o DIR} every
 * page (the build writes them to cli/target/man when it packages the jar).
 */
@Command(name = "man", mixinStandardHelpOptions = true,
        description = "Print the manual page of stasis or of a command (troff), or write every page into a directory.",
        footer = {"", "Examples:", "  stasis man capture events | man -l -",
                "  stasis man -o ~/.local/share/man/man1     (then: man stasis-inspect)"})
public final class ManCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command, e.g. inspect or capture events (default: stasis itself)")
    List<String> command = List.of();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "write stasis.1 and a page per command into DIR instead")
    Path dir;

    @Override
    public Integer call() throws IOException {
        CommandLine root = CommandTree.of(spec).build(new String[0]);
        if (dir != null) {
            List<Path> pages = ManPage.writeAll(root, dir);
            System.out.println("wrote " + pages.size() + " manual pages to " + dir);
            return 0;
        }
        CommandLine cl = root;
        for (String name : command) {
            CommandLine sub = cl.getSubcommands().get(name);
            if (sub == null) throw new IllegalArgumentException("no command '" + String.join(" ", command) + "'; try 'stasis --help'");
            cl = sub;
        }
        System.out.print(ManPage.render(cl));
        System.out.flush();
        return 0;
    }
}
