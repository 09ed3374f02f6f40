package dev.stasis.cli.checkpoint.crit;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.ImageType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis crit info}: kind, entry count and sizes of an image. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Kind, entry count and sizes of a CRIU image (crit info, with sizes).")
public final class CritInfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "image file, '-' or ARCHIVE:checkpoint/NAME.img")
    String in;

    @Mixin FormatOption format = FormatOption.of("text or json (default: ${DEFAULT-VALUE})", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() {
        boolean json = format.json();
        CriuImage image = ImageInput.read(in);
        long pb = 0;
        long extra = 0;
        for (ImageEntry e : image.entries()) {
            pb += 4 + e.message().getSerializedSize();
            if (e.extra() != null) extra += e.extra().length;
        }
        ImageType t = image.type();
        int header = t == ImageType.INVENTORY ? 4 : 8;
        // Like crit, a pagemap's head is not counted as an entry.
        int count = image.entries().size() - (t.payload() == ImageType.Payload.PAGEMAP && !image.entries().isEmpty() ? 1 : 0);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("magic", t.critName());
        info.put("count", count);
        info.put("magic_number", String.format("0x%08x", t.magic()));
        info.put("entries", image.entries().size());
        info.put("header_bytes", header);
        info.put("entry_bytes", pb);
        info.put("payload_bytes", extra);
        info.put("size", header + pb + extra);
        if (json) {
            // the same keys as the text, after the document's name (crit's own info has only magic and count)
            Map<String, Object> doc = dev.stasis.cli.support.Json.document("crit-info", 1);
            doc.putAll(info);
            dev.stasis.cli.support.Json.print(doc);
        } else {
            info.forEach((k, v) -> System.out.printf("%-14s %s%n", k + ":", v));
        }
        return 0;
    }
}
