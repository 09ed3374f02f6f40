package dev.stasis.cli.evidence;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stasis evidence}: the evidence vault and its chain-of-custody log. */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = {"The evidence vault and its chain-of-custody log.",
                "Items are stored under their SHA-256 with an Ed25519-signed manifest.",
                "Every store, read, export, verification and deletion attempt is recorded",
                "in a hash-chained, signed custody log."},
        subcommands = {
                EvidenceKeygen.class, EvidenceAdd.class, EvidenceList.class, EvidenceShow.class, EvidenceGet.class,
                EvidenceVerify.class, EvidenceExport.class, EvidenceLog.class, EvidenceDelete.class,
        })
public final class EvidenceCommand implements Callable<Integer> {
    @Mixin
    VaultOptions vault;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw dev.stasis.cli.support.Errors.missingCommand(spec);
    }
}
