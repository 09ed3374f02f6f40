package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence keygen}: the vault's Ed25519 signing key (the vault makes one on first store otherwise). */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generate the Ed25519 key that signs manifests and custody records, and create the vault.",
                "The private key (PKCS#8 PEM, 0600) goes to --signing-key FILE (or $STASIS_SIGNING_KEY), else keys/signing.key in the vault;"
                        + " the public key (X.509 PEM, what third parties verify with) goes to keys/signing.pub.pem in the vault. Never overwrites.",
                "With -o KEY, only a key pair KEY and KEY's .pub.pem is written, and the vault is left alone."})
final class EvidenceKeygen implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Option(names = {"-o", "--output"}, paramLabel = "KEY", description = "write a key pair here only (KEY and its .pub.pem), not the vault's")
    Path output;

    @Mixin FormatOption format = Output.format();

    @Override
    public Integer call() {
        boolean json = format.json();
        VaultConfig cfg = parent.vault.config();
        Path key, pub;
        String keyId;
        if (output != null) {
            key = output.toAbsolutePath();
            pub = VaultConfig.publicKeyBeside(key);
            keyId = Vault.keygen(key);
        } else {
            key = cfg.signingKey();
            pub = cfg.publicKey();
            keyId = Vault.keygen(cfg);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("private_key", key.toString());
            m.put("public_key", pub.toString());
            m.put("key_id", keyId);
            if (output == null) m.put("vault", cfg.root().toString());
            Output.json("evidence-keygen", m);
        } else {
            if (output == null) System.out.println("vault        " + cfg.root());
            System.out.println("private key  " + key + " (keep it secret; readable only by the collector)");
            System.out.println("public key   " + pub);
            System.out.println("key id       " + keyId + "  (= openssl pkey -pubin -in PUB -outform DER | sha256sum)");
        }
        return 0;
    }
}
