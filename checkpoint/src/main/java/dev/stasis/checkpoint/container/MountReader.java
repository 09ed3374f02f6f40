package dev.stasis.checkpoint.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.images.Mnt;
import dev.stasis.checkpoint.model.Mount;
import java.util.ArrayList;
import java.util.List;

/** Mounts from the OCI spec (what checkpointctl shows) and from CRIU's mountpoints images (what was really mounted). */
public final class MountReader {
    private MountReader() {}

    public static List<Mount> fromSpec(CheckpointArchive archive) {
        List<Mount> out = new ArrayList<>();
        JsonNode spec = ContainerMetadataReader.json(archive, "spec.dump");
        if (spec == null || !spec.path("mounts").isArray()) return out;
        for (JsonNode m : spec.get("mounts")) {
            List<String> options = new ArrayList<>();
            if (m.path("options").isArray()) m.get("options").forEach(o -> options.add(o.asText()));
            out.add(new Mount(ContainerMetadataReader.text(m, "destination"), ContainerMetadataReader.text(m, "type"),
                    ContainerMetadataReader.text(m, "source"), options, null, null, null, "spec"));
        }
        return out;
    }

    static List<Mount> fromImages(CheckpointImages images) {
        List<Mount> out = new ArrayList<>();
        for (String name : images.names()) {
            if (!name.startsWith("mountpoints-") || !name.endsWith(".img")) continue;
            images.optional(name).ifPresent(img -> {
                for (ImageEntry e : img.entries()) {
                    if (e.message() instanceof Mnt.mnt_entry m) {
                        String type = m.hasFsname() && !m.getFsname().isEmpty() ? m.getFsname() : FsTypes.name(m.getFstype());
                        out.add(new Mount(m.getMountpoint(), type, m.getSource(),
                                m.getOptions().isEmpty() ? List.of() : List.of(m.getOptions().split(",")),
                                m.getMntId(), m.getParentMntId(), m.getRoot(), "criu"));
                    }
                }
            });
        }
        return out;
    }
}
