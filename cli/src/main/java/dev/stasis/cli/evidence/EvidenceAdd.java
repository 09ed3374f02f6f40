package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.StoreRequest;
import dev.stasis.evidence.StoreResult;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.cases.CaseStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence add}: store an archive with its provenance. */
@Command(name = "add", mixinStandardHelpOptions = true, description = {
        "Store a checkpoint archive (or any file) in the vault under its SHA-256.",
        "The item becomes visible only once its bytes, hash and signed manifest are durable.",
        "For a checkpoint archive, namespace, pod, container, container id, image and checkpoint time not given",
        "as options are taken from the archive's own metadata."})
final class EvidenceAdd implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Parameters(index = "0", paramLabel = "ARCHIVE") Path archive;

    @Option(names = "--case", paramLabel = "CASE", description = "also add the item to this case (created when missing)") String caseName;
    @Option(names = "--alert", paramLabel = "FILE", description = "the triggering alert (Falco JSON), kept verbatim") Path alert;
    @Option(names = "--sha256", paramLabel = "HEX", description = "the SHA-256 taken at the source; a mismatch stores nothing") String sha256;
    @Option(names = "--reason", paramLabel = "TEXT", description = "why (custody log)") String reason;
    @Option(names = "--cluster") String cluster;
    @Option(names = "--node") String node;
    @Option(names = {"--namespace", "-n"}) String namespace;
    @Option(names = "--pod") String pod;
    @Option(names = "--pod-uid") String podUid;
    @Option(names = "--container") String container;
    @Option(names = "--container-id") String containerId;
    @Option(names = "--image") String image;
    @Option(names = "--image-digest") String imageDigest;
    @Option(names = "--runtime-path", paramLabel = "PATH", description = "where the runtime wrote the archive on the node") String runtimePath;
    @Option(names = "--checkpoint-time", paramLabel = "RFC3339", description = "when the checkpoint was taken") String checkpointTime;
    @Option(names = "--collected-at", paramLabel = "RFC3339", description = "when it was collected off the node (default: now)") String collectedAt;
    @Option(names = "--collector", paramLabel = "ID", description = "collector identity (default: the acting user)") String collector;
    @Option(names = {"-q", "--quiet"}, description = "no progress bar") boolean quiet;
    @Mixin FormatOption format = Output.format();

    @Override
    public Integer call() throws IOException {
        boolean json = format.json();
        if (!Files.isRegularFile(archive)) throw new IllegalArgumentException("no such file: " + archive);
        var actor = parent.vault.actor();
        Container meta = archiveMetadata(archive);
        Provenance p = Provenance.builder()
                .alert(alert == null ? null : readAlert(alert))
                .cluster(cluster).node(node)
                .namespace(or(namespace, meta == null ? null : meta.namespace()))
                .pod(or(pod, meta == null ? null : meta.podName()))
                .podUid(podUid)
                .container(or(container, meta == null ? null : or(meta.containerName(), meta.name())))
                .containerId(or(containerId, meta == null ? null : meta.id()))
                .image(or(image, meta == null ? null : meta.imageName()))
                .imageDigest(imageDigest).runtimePath(runtimePath)
                .checkpointTime(checkpointTime != null || meta == null ? time("--checkpoint-time", checkpointTime) : meta.checkpointed())
                .collectedAt(collectedAt == null ? Instant.now() : time("--collected-at", collectedAt))
                .collector(collector == null ? actor.who() : collector)
                .sourceName(archive.getFileName().toString()).build();
        StoreResult r;
        try (Vault v = parent.vault.open(); Progress bar = Progress.of("store", Files.size(archive), quiet || json)) {
            r = v.store(StoreRequest.ofFile(archive, p, actor).withExpectedSha256(sha256).withReason(reason).withProgress(bar.listener()));
        } catch (dev.stasis.evidence.EvidenceException e) {
            // the failed attempt is recorded in the custody log; when even that failed (the disk that filled up), say so
            if (e.getSuppressed().length == 0) throw e;
            throw new dev.stasis.cli.support.Errors.ExitCodeException(1, dev.stasis.cli.support.Errors.oneLine(e)
                    + "; the attempt could not be recorded in the custody log either (" + dev.stasis.cli.support.Errors.oneLine(e.getSuppressed()[0]) + ")");
        }
        // The item is stored whatever happens to the case: its id is printed either way, and a case that
        // could not be linked is an error that says how to link it by hand.
        String caseError = null;
        if (caseName != null) {
            try (CaseStore cases = parent.vault.cases()) {
                cases.createIfAbsent(caseName, caseName, actor.who()); // several adds may create the same new case at once
                cases.addEvidence(caseName, r.item().id(), actor.who());
            } catch (RuntimeException e) {
                caseError = dev.stasis.cli.support.Errors.oneLine(e);
            }
        }
        EvidenceItem item = r.item();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", item.id());
            m.put("duplicate", r.duplicate());
            m.put("case", caseError == null ? caseName : null);
            m.put("manifest", item.manifest());
            Output.json("evidence-add", m);
        } else {
            System.out.println((r.duplicate() ? "already stored, provenance added  " : "stored  ") + item.id());
            System.out.println("  size " + item.size() + " bytes, " + item.manifest().format() + ", " + item.manifest().provenance().size()
                    + " provenance record(s), at " + item.manifest().location());
            if (caseName != null && caseError == null) System.out.println("  case " + caseName);
        }
        if (caseError != null)
            throw new dev.stasis.cli.support.Errors.ExitCodeException(1, "stored " + item.id() + " but could not add it to case " + caseName + ": "
                    + caseError + " (add it with `stasis case add " + caseName + " " + item.id() + "`)");
        return 0;
    }

    /**
     * The container metadata a checkpoint archive carries, or null when the file is not one (any file
     * may be stored). Read as a stream, like every reader of evidence: nothing is unpacked.
     */
    private static Container archiveMetadata(Path file) {
        try (Checkpoint cp = Checkpoint.open(file)) {
            return cp.container();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String or(String given, String fromArchive) {
        return given != null ? given : fromArchive == null || fromArchive.isBlank() ? null : fromArchive;
    }

    private static String readAlert(Path file) throws IOException {
        if (Files.size(file) > (16 << 20)) throw new IllegalArgumentException("alert file " + file + " is larger than 16 MiB");
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static Instant time(String option, String s) {
        if (s == null) return null;
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " wants an RFC 3339 time such as 2026-11-20T10:00:00Z, not " + s);
        }
    }
}
