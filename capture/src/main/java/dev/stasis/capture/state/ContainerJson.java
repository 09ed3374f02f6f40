package dev.stasis.capture.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON of a container event ({@code {"container": {"id": ..., "labels": {...}}}})
 * with Jackson's streaming parser: the object mapper's start-up (hundreds of classes)
 * would cost more than reading a whole capture of ordinary size.
 */
final class ContainerJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ContainerJson() {}

    /** The container described, or null if the JSON has no container id or does not parse. */
    static ContainerInfo parse(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("container") && t == JsonToken.START_OBJECT) {
                    return container(p);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // a malformed container event leaves the container unnamed
        }
    }

    private static ContainerInfo container(JsonParser p) throws IOException {
        String id = "", name = "", image = "", imageId = "", imageRepo = "", imageTag = "";
        String typeName = "", ip = "";
        boolean privileged = false;
        Map<String, String> labels = new LinkedHashMap<>();
        List<ContainerMount> mounts = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> id = text(p, t);
                case "name" -> name = text(p, t);
                case "image" -> image = text(p, t);
                case "imageid" -> imageId = text(p, t);
                case "imagerepo" -> imageRepo = text(p, t);
                case "imagetag" -> imageTag = text(p, t);
                case "privileged" -> privileged = t == JsonToken.VALUE_TRUE
                        || (t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() != 0)
                        || (t == JsonToken.VALUE_STRING && p.getText().strip().equalsIgnoreCase("true"));
                case "type" -> typeName = t == JsonToken.VALUE_NUMBER_INT ? typeName(p.getIntValue()) : typeText(text(p, t));
                case "labels" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            labels.put(k, text(p, p.nextToken()));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "Mounts" -> mounts(p, t, mounts);
                case "ip" -> ip = text(p, t);
                default -> p.skipChildren();
            }
        }
        if (id.isEmpty()) {
            return null;
        }
        return new ContainerInfo(id.length() > 12 ? id.substring(0, 12) : id, typeName, name, image, imageId,
                imageRepo, imageTag, privileged, Map.copyOf(labels), mounts, ip);
    }

    /** {@code "Mounts": [{"Source", "Destination", "Mode", "RW", "Propagation"}]}, as libsinsp's container_to_json writes it. */
    private static void mounts(JsonParser p, JsonToken t, List<ContainerMount> out) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        for (JsonToken item; (item = p.nextToken()) != JsonToken.END_ARRAY && item != null; ) {
            if (item != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String source = "", dest = "", mode = "", propagation = "";
            boolean rw = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken v = p.nextToken();
                switch (k) {
                    case "Source" -> source = text(p, v);
                    case "Destination" -> dest = text(p, v);
                    case "Mode" -> mode = text(p, v);
                    case "Propagation" -> propagation = text(p, v);
                    case "RW" -> rw = v == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            out.add(new ContainerMount(source, dest, mode, rw, propagation));
        }
    }

    /** A scalar's text (numbers and booleans as written); "" for objects, arrays and null, which are skipped. */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return "";
        }
        return t == JsonToken.VALUE_NULL ? "" : p.getText();
    }

    /** A type written as a string: a number in it still names the runtime (as JsonNode.asInt read it). */
    private static String typeText(String s) {
        try {
            return typeName(Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return s;
        }
    }

    /** libsinsp's container types by number. */
    private static String typeName(int type) {
        return switch (type) {
            case 0 -> "docker";
            case 1 -> "lxc";
            case 2 -> "libvirt-lxc";
            case 3 -> "mesos";
            case 4 -> "rkt";
            case 5 -> "cri";
            case 6 -> "containerd";
            case 7 -> "cri-o";
            case 8 -> "bpm";
            case 9 -> "static";
            case 10 -> "podman";
            default -> Integer.toString(type);
        };
    }
}
