package dev.stasis.cli.evidence;

import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence keygen}: a new Ed25519 signing key (the vault makes one on first use otherwise). */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generate the Ed25519 key that signs manifests and custody records.",
                "Writes KEY (PKCS#8 PEM, 0600) and KEY's .pub.pem (X.509 PEM, what third parties verify with). Never overwrites."})
final class EvidenceKeygen implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Option(names = {"-o", "--output"}, paramLabel = "KEY", description = "private key file (default: the vault's keys/signing.key)")
    Path output;

    @Option(names = "--format", defaultValue = "text", description = "text or json") String format;

    @Override
    public Integer call() {
        boolean json = Output.json(format);
        VaultConfig cfg = parent.vault.config();
        Path key = output != null ? output : cfg.signingKey();
        String keyId = Vault.keygen(key);
        Path pub = cfg.withSigningKey(key).publicKey();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("privateKey", key.toAbsolutePath().toString());
            m.put("publicKey", pub.toAbsolutePath().toString());
            m.put("keyId", keyId);
            Output.json(m);
        } else {
            System.out.println("private key  " + key.toAbsolutePath() + " (keep it secret)");
            System.out.println("public key   " + pub.toAbsolutePath());
            System.out.println("key id       " + keyId + "  (= openssl pkey -pubin -in PUB -outform DER | sha256sum)");
        }
        return 0;
    }
}
