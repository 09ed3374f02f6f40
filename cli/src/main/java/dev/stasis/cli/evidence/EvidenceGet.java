package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.evidence.Vault;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence get}: copy an item out, hash-checked while streaming. */
@Command(name = "get", mixinStandardHelpOptions = true, description = {
        "Copy an item's bytes to FILE, checking the SHA-256 while streaming.",
        "On a mismatch nothing is left at FILE and the exit status is 1."})
final class EvidenceGet implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "a new file (never overwritten)") Path output;
    @Option(names = "--reason", paramLabel = "TEXT", description = "why (custody log)") String reason;
    @Option(names = {"-q", "--quiet"}, description = "no progress bar") boolean quiet;
    @Mixin FormatOption format = Output.format();

    @Override
    public Integer call() {
        boolean json = format.json();
        long n;
        String full;
        try (Vault v = parent.vault.openExisting()) {
            full = v.resolve(id);
            try (Progress bar = Progress.of("get", v.item(full).size(), quiet || json)) {
                n = v.get(full, output, parent.vault.actor(), reason, bar.listener());
            } finally {
                VaultOptions.noteUnrecorded(v);
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", full);
            m.put("output", output.toAbsolutePath().toString());
            m.put("size", n);
            m.put("sha256", full);
            m.put("verified", true);
            Output.json("evidence-get", m);
        } else {
            System.out.println("wrote " + output + " (" + n + " bytes, sha256 " + full + " verified)");
        }
        return 0;
    }
}
