package dev.stasis.cli.sandbox;

import dev.stasis.sandbox.run.SandboxException;
import dev.stasis.sandbox.run.StateDir;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code stasis sandbox cleanup}: remove what killed sandbox runs left behind. */
@Command(name = "cleanup", mixinStandardHelpOptions = true, description = {
        "Remove what dead sandbox runs left behind (after a kill -9 or a crash).",
        "That is restored containers, network namespaces, veths and helper processes named stasis-sbx-*/sbx*.",
        "Every 'sandbox run' does this on start too. Runs that are still alive are left alone."})
final class SandboxCleanupCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        if (!dev.stasis.sandbox.run.Host.isRoot()) throw new SandboxException("sandbox cleanup must run as root");
        List<String> done = new ArrayList<>();
        int n = StateDir.standard().removeLeftovers(done::add);
        for (String d : done) System.out.println(d);
        System.out.println(n == 0 ? "nothing to remove" : "removed " + n + " leftover(s)");
        return 0;
    }
}
