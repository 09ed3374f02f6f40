package dev.stasis.cli.checkpoint.crit;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.criu.CritExplorer;
import dev.stasis.checkpoint.criu.DirectoryImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stasis crit x}: crit's explorers, on a dump directory or a checkpoint archive. */
@Command(name = "x", mixinStandardHelpOptions = true,
        description = {"Explore a CRIU dump (crit x): ps (process tree), fds (open files), mems (memory map), rss (resident pages).",
                "DIR_OR_ARCHIVE is a directory of *.img or a checkpoint archive (tar, tar.zst, tar.gz)."})
public final class CritExploreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR_OR_ARCHIVE") Path dir;

    @Parameters(index = "1", paramLabel = "WHAT", description = "ps, fds, mems or rss") String what;

    @Override
    public Integer call() {
        CritExplorer.View view;
        try {
            view = CritExplorer.View.valueOf(what.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("unknown view '" + what + "' (ps, fds, mems or rss)");
        }
        if (!Files.exists(dir)) throw new CheckpointException("no such file or directory: " + dir);
        String text;
        if (Files.isDirectory(dir) && !Files.isDirectory(dir.resolve(CheckpointArchive.IMAGE_DIR))) {
            text = new CritExplorer(new DirectoryImageSource(dir)).explore(view);
        } else {
            try (CheckpointArchive a = CheckpointArchive.open(dir)) {
                text = new CritExplorer(a.images()).explore(view);
            }
        }
        System.out.print(text);
        System.out.flush();
        return 0;
    }
}
