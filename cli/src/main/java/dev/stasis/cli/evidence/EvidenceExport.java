package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.evidence.ExportResult;
import dev.stasis.evidence.Vault;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence export}: a bundle a third party checks with sha256sum and openssl. */
@Command(name = "export", mixinStandardHelpOptions = true, description = {
        "Write a bundle that a third party can check without stasis.",
        "It holds the archive, manifest.json and its Ed25519 signature, the public key, SHA256SUMS, the item's custody",
        "records and a README with the sha256sum and openssl commands that check them."})
final class EvidenceExport implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "a new or empty directory") Path output;
    @Option(names = "--reason", paramLabel = "TEXT", description = "why (custody log)") String reason;
    @Mixin FormatOption format = Output.format();

    @Override
    public Integer call() {
        boolean json = format.json();
        ExportResult r;
        try (Vault v = parent.vault.openExisting()) {
            try {
                r = v.export(id, output, parent.vault.actor(), reason);
            } finally {
                VaultOptions.noteUnrecorded(v);
            }
        }
        if (json) {
            Output.json("evidence-export", r);
        } else {
            System.out.println("exported " + r.id() + " to " + r.directory());
            for (String f : r.files()) System.out.println("  " + f);
            System.out.println("check: cd " + r.directory() + " && sha256sum -c SHA256SUMS && openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.json.sig");
        }
        return 0;
    }
}
