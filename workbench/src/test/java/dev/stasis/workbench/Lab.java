package dev.stasis.workbench;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.StoreRequest;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.testsupport.ProjectFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A temporary vault holding bundled checkpoints and a capture in one case, and a workbench over it:
 * what the tests open. One item is a copy whose stored bytes the lab alters afterwards (tampered).
 */
final class Lab implements AutoCloseable {
    static final String CASE = "INC-7";
    /** Falco rules whose conditions are also sysdig filters (sysdig's reading is their ground truth). */
    static final Path RULES = ProjectFiles.root().resolve("workbench/src/test/resources/falco/lab_rules.yaml");
    static final String ALERT = "{\"rule\":\"Terminal shell in container\",\"priority\":\"Notice\",\"output\":\"A shell was spawned (user=root container=irc-bot)\"}";
    final Path dir;
    final VaultConfig vaultConfig;
    final String checkpoint, capture, tampered;
    final Path captureFile;
    final Actor analyst = new Actor("analyst-a", "lab", "test");
    Workbench workbench;

    Lab(Path dir) throws IOException {
        this.dir = dir;
        this.vaultConfig = VaultConfig.local(dir.resolve("vault"));
        this.captureFile = ProjectFiles.root().resolve("testdata/captures/falco_run_as_user_0_container.scap");
        try (Vault v = Vault.open(vaultConfig)) {
            checkpoint = store(v, ProjectFiles.checkpoint("irc-bot.tar"), ALERT);
            capture = store(v, captureFile, null);
            tampered = store(v, ProjectFiles.checkpoint("benign-web.tar.zst"), null);
            // alter the stored copy of the last one: one byte in the middle of the object
            Path object = Path.of(URI.create(v.item(tampered).manifest().location()));
            try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
                long at = f.length() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0xff);
            }
        }
        try (CaseStore cases = CaseStore.open(CaseStore.sqlite(vaultConfig.caseDatabase()))) {
            cases.create(CASE, "IRC bot in ns lab", analyst.who());
            for (String id : new String[] {checkpoint, capture, tampered}) cases.addEvidence(CASE, id, analyst.who());
            cases.tag(CASE, "irc");
        }
    }

    private String store(Vault v, Path file, String alert) {
        Provenance.Builder p = Provenance.builder().namespace("lab").pod("irc-bot-0").container("bot").sourceName(file.getFileName().toString());
        if (alert != null) p.alert(alert);
        return v.store(StoreRequest.ofFile(file, p.build(), analyst)).item().id();
    }

    Workbench start() {
        return start(null);
    }

    Workbench start(String token) {
        workbench = Workbench.start(config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), token));
        return workbench;
    }

    WorkbenchConfig config(InetSocketAddress listen, String token) {
        return new WorkbenchConfig(listen, token == null ? null : () -> token, "ticket-bot", vaultConfig, null, null, null,
                dir.resolve("ui-state"), null, new Actor("local-analyst", "lab", "stasis-ui")).withRules(List.of(RULES));
    }

    URI uri(String path) {
        return workbench.uri().resolve(path);
    }

    @Override
    public void close() {
        if (workbench != null) workbench.close();
    }
}
