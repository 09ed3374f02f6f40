package dev.stasis.cli.sandbox;

import dev.stasis.evidence.VaultConfig;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.Json;
import dev.stasis.sandbox.image.CheckpointImage;
import dev.stasis.sandbox.image.CheckpointImages;
import dev.stasis.sandbox.image.ImageReference;
import dev.stasis.sandbox.image.ImageRequest;
import dev.stasis.sandbox.image.ImageTarget;
import dev.stasis.sandbox.image.LayerCompression;
import dev.stasis.sandbox.image.RegistryCredentials;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stasis sandbox image}: a checkpoint OCI image, built natively (no buildah). */
@Command(name = "image", mixinStandardHelpOptions = true, description = {
        "Build a checkpoint OCI image that CRI-O, podman and containerd 2.1-2.3 restore from.",
        "One layer holds the archive's members at /; the manifest is annotated from the archive's own metadata",
        "(CRI-O's checkpoint.name, checkpointctl's org.criu.checkpoint.*, podman's keys for podman archives).",
        "The archive is streamed into the layer, never unpacked. Nothing is left at the destination on failure.",
        "A vault item is hash-checked on the way in; the image and where it went go into the custody log.",
        "",
        "Examples:",
        "  stasis sandbox image checkpoint.tar --oci-dir ./ckpt-image",
        "  stasis sandbox image 3f2a9c --push registry.example/forensics/bot:inc42",
        "  stasis sandbox image checkpoint.tar.zst --push 127.0.0.1:5000/ckpt:1 --tls-verify=false"})
final class SandboxImageCommand implements Callable<Integer> {
    @Mixin
    SandboxSource source;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Destination destination;

    static final class Destination {
        @Option(names = "--oci-dir", paramLabel = "DIR", description = "write an OCI image layout (DIR must not exist, or be empty)")
        Path ociDir;
        @Option(names = "--oci-archive", paramLabel = "FILE.tar", description = "write an oci-archive tar (FILE must not exist)")
        Path ociArchive;
        @Option(names = "--push", paramLabel = "REF", description = "push to a registry: HOST[:PORT]/REPO[:TAG]")
        String push;
    }

    @Option(names = "--tag", paramLabel = "TAG", defaultValue = "latest", description = "tag inside --oci-dir/--oci-archive (default: ${DEFAULT-VALUE})")
    String tag;

    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", defaultValue = "true", paramLabel = "BOOL",
            description = "use TLS with the registry (default: true); false allows plain http")
    boolean tlsVerify;

    @Option(names = "--insecure", description = "same as --tls-verify=false")
    boolean insecure;

    @Option(names = "--compression", paramLabel = "gzip|none", defaultValue = "gzip", description = "layer compression (default: ${DEFAULT-VALUE})")
    String compression;

    @Option(names = "--annotation", paramLabel = "KEY=VALUE", description = "add a manifest annotation (repeatable)")
    Map<String, String> annotations = new LinkedHashMap<>();

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Mixin FormatOption format = FormatOption.of("output format (default: ${DEFAULT-VALUE})", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() {
        boolean json = format.json();
        LayerCompression layer = switch (compression.toLowerCase(Locale.ROOT)) {
            case "gzip" -> LayerCompression.GZIP;
            case "none" -> LayerCompression.NONE;
            default -> throw new IllegalArgumentException("--compression is gzip or none, not " + compression);
        };
        ImageTarget target = target();
        String why = source.reason();
        try (SandboxInput in = source.open(); ImageProgressBar bar = new ImageProgressBar(quiet || json)) {
            CheckpointImage image;
            try {
                ImageRequest req = ImageRequest.of(in.path, target).withCompression(layer).withAnnotations(annotations).withProgress(bar);
                if (in.item != null) req = req.withSourceSha256(in.item);
                image = CheckpointImages.build(req);
            } catch (RuntimeException e) {
                in.custody(why, "failed", "checkpoint image to " + target.describe() + " failed: " + dev.stasis.cli.support.Errors.oneLine(e));
                throw e;
            }
            in.custody(why, "ok", "checkpoint image " + image.manifestDigest() + " (config " + image.configDigest() + ", layer "
                    + image.layerDigest() + ") written to " + image.destination());
            if (json) Json.print(json(image, in));
            else System.out.println("wrote checkpoint image " + image.destination() + " (manifest " + image.manifestDigest() + ", layer "
                    + image.layerSize() + " bytes, " + image.members() + " members, " + image.annotations().size() + " annotations)");
        }
        return 0;
    }

    private ImageTarget target() {
        if (destination.ociDir != null) return new ImageTarget.OciLayout(destination.ociDir, tag);
        if (destination.ociArchive != null) return new ImageTarget.OciArchive(destination.ociArchive, tag);
        ImageReference ref = ImageReference.parse(destination.push);
        return new ImageTarget.Registry(ref, tlsVerify && !insecure,
                RegistryCredentials.standard(System.getenv(), VaultConfig.userHome()));
    }

    private static Map<String, Object> json(CheckpointImage image, SandboxInput in) {
        Map<String, Object> m = Json.document("sandbox-image", 1);
        m.put("image_digest", image.manifestDigest());
        m.put("manifest_digest", image.manifestDigest());
        m.put("manifest_media_type", CheckpointImage.MANIFEST_MEDIA_TYPE);
        m.put("manifest_size", image.manifestSize());
        m.put("image_id", image.configDigest());
        m.put("layer_digest", image.layerDigest());
        m.put("layer_size", image.layerSize());
        m.put("layer_media_type", image.layerMediaType());
        m.put("diff_id", image.diffId());
        m.put("members", image.members());
        m.put("architecture", image.architecture());
        m.put("os", image.os());
        m.put("created", image.created().toString());
        m.put("annotations", image.annotations());
        m.put("destination", image.destination());
        Map<String, Object> src = new LinkedHashMap<>();
        src.put("path", in.item == null ? in.path.toString() : null);
        src.put("vault_item", in.item);
        src.put("sha256", image.annotations().get(dev.stasis.sandbox.image.CheckpointAnnotations.STASIS_SOURCE_SHA256));
        m.put("source", src);
        return m;
    }
}
