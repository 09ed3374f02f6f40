package dev.stasis.evidence;

import dev.stasis.evidence.internal.Ed25519;
import dev.stasis.evidence.internal.FormatSniffer;
import dev.stasis.evidence.internal.SecureFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Writes an export bundle (see {@link Vault#export}). */
final class Exporter {
    private final Vault vault;

    Exporter(Vault vault) {
        this.vault = vault;
    }

    ExportResult export(String id, Path dir, Actor actor, String reason) {
        EvidenceItem item = vault.item(id);
        byte[][] signed = vault.signedManifest(id);
        try {
            if (Files.exists(dir)) {
                try (var s = Files.list(dir)) {
                    if (s.findAny().isPresent()) throw new EvidenceException("refusing to export into " + dir + ": it is not empty");
                }
            }
            SecureFiles.createPrivateDirectories(dir.toAbsolutePath());
            List<String> files = new ArrayList<>();
            String archiveName = "archive" + FormatSniffer.extension(item.manifest().format());
            Path archive = dir.resolve(archiveName);
            try (OutputStream out = Files.newOutputStream(archive, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                vault.read(id, out, actor, reason == null ? "export" : reason, null);
            } catch (EvidenceException e) {
                Files.deleteIfExists(archive);
                throw e;
            }
            files.add(archiveName);
            write(dir, "manifest.json", signed[0], files);
            write(dir, "manifest.json.sig", signed[1], files);
            write(dir, "public-key.pem", Ed25519.pem("PUBLIC KEY", vault.publicKey().getEncoded()), files);
            String sums = id + "  " + archiveName + "\n";
            write(dir, "SHA256SUMS", sums.getBytes(StandardCharsets.US_ASCII), files);
            List<String> custody = vault.custody().linesFor(id);
            write(dir, "custody.jsonl", (String.join("\n", custody) + (custody.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8), files);
            write(dir, "README.txt", readme(id, archiveName, item).getBytes(StandardCharsets.UTF_8), files);
            vault.record(CustodyAction.EXPORT, id, actor, reason, "ok", "exported to " + dir.toAbsolutePath());
            return new ExportResult(id, dir.toAbsolutePath(), files);
        } catch (IOException e) {
            throw new StorageException("cannot export " + id + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path dir, String name, byte[] bytes, List<String> files) throws IOException {
        Files.write(dir.resolve(name), bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        files.add(name);
    }

    private String readme(String id, String archiveName, EvidenceItem item) {
        return """
                stasis evidence export
                ======================

                Item:      %s
                Size:      %d bytes
                Format:    %s
                Key id:    %s   (SHA-256 of public-key.pem in DER form)

                Files
                  %s          the evidence bytes, exactly as stored
                  manifest.json      what the item is and where it came from (canonical JSON: the exact bytes signed)
                  manifest.json.sig  the Ed25519 signature over manifest.json (64 raw bytes)
                  public-key.pem     the vault's Ed25519 public key
                  SHA256SUMS         the archive's SHA-256 (which is also the item's id)
                  custody.jsonl      this item's chain-of-custody records (each signed; see below)

                Check it with standard tools (OpenSSL 1.1.1 or newer):

                  1. The bytes are the ones the vault stored:
                       sha256sum -c SHA256SUMS

                  2. The manifest was signed by the vault's key and not changed since:
                       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \\
                           -in manifest.json -sigfile manifest.json.sig
                     prints "Signature Verified Successfully".

                  3. The manifest describes these bytes:
                       grep -o '"sha256":"[0-9a-f]*"' manifest.json
                     shows %s.

                  4. The key is the one you expect (compare with the fingerprint the
                     vault's operator published):
                       openssl pkey -pubin -in public-key.pem -outform DER | sha256sum

                Each line of custody.jsonl is signed over the line's JSON without its
                "sig" member (keys sorted, no whitespace) and names the SHA-256 of the
                vault's previous record in "prev"; the full log is checked with
                `stasis evidence log --verify` on the vault.
                """.formatted(id, item.size(), item.manifest().format(), vault.keyId(), archiveName, id);
    }
}
