package dev.stasis.sandbox.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * Renders model objects as one multi-document YAML stream, with a comment header. fabric8 turns
 * each object into JSON (its models carry Jackson 3 serialisers for quantities and int-or-string
 * that a Jackson 2 mapper would ignore); the YAML is then written with minimal quoting, as
 * kubectl users read it (fabric8 8's own YAML quotes every string).
 */
final class ManifestYaml {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private ManifestYaml() {}

    static String render(List<String> header, List<HasMetadata> objects) {
        StringBuilder sb = new StringBuilder();
        for (String h : header) sb.append(h.isEmpty() ? "#" : "# " + h).append('\n');
        for (HasMetadata o : objects) {
            sb.append("---\n");
            try {
                sb.append(YAML.writeValueAsString(JSON.readTree(SERIALIZATION.asJson(o))));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot render " + o.getKind() + ": " + e.getOriginalMessage(), e);
            }
        }
        return sb.toString();
    }
}
