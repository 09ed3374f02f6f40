package dev.stasis.evidence;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link CustodyFaultTest} and {@link ConcurrentVaultTest}: opens the vault at
 * {@code args[0]} and stores the file {@code args[1]}, then prints {@code STORED <id>}. With
 * {@code -Dstasis.test.custodyStall=...} the custody append stalls at the named point so that
 * the parent can SIGKILL this JVM there.
 */
public final class CustodyChild {
    public static void main(String[] args) {
        try (Vault v = Vault.open(VaultConfig.local(Path.of(args[0])))) {
            StoreResult r = v.store(StoreRequest.ofFile(Path.of(args[1]), Provenance.builder().pod("child").build(),
                    new Actor("child-" + ProcessHandle.current().pid(), "localhost", "test")));
            System.out.println("STORED " + r.item().id());
        } catch (EvidenceException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(1);
        }
    }
}
