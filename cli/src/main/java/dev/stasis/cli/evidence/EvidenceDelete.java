package dev.stasis.cli.evidence;

import dev.stasis.evidence.Vault;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence delete}: always refused; the attempt goes into the custody log. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = {
        "Attempt to delete an item (refused and recorded: the vault is append-only).",
        "The attempt is recorded with who, when, from where and why. Retention ends by the storage's own rules (S3 Object Lock expiry)."})
final class EvidenceDelete implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--reason", paramLabel = "TEXT", description = "why (custody log)") String reason;

    @Override
    public Integer call() {
        try (Vault v = parent.vault.openExisting()) {
            try {
                v.delete(id, parent.vault.actor(), reason);
            } finally {
                VaultOptions.noteUnrecorded(v);
            }
        }
        return 0;
    }
}
