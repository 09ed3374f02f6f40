package dev.stasis.capture.state;

import dev.stasis.capture.state.JsonTokens.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON of a container event ({@code {"container": {"id": ..., "labels": {...}}}})
 * token by token with {@link JsonTokens}, which gives the tokens Jackson's streaming parser
 * gives: even Jackson's streaming parser's set-up cost more in a cold JVM than reading a
 * short capture, for one or two events of a few hundred bytes.
 */
final class ContainerJson {
    private ContainerJson() {}

    /** The container described, or null if the JSON has no container id or does not parse. */
    static ContainerInfo parse(String json) {
        try {
            JsonTokens p = new JsonTokens(json);
            if (p.next() != Token.START_OBJECT) {
                return null;
            }
            while (p.next() == Token.FIELD_NAME) {
                String name = p.text();
                Token t = p.next();
                if (name.equals("container") && t == Token.START_OBJECT) {
                    return container(p);
                }
                p.skipChildren();
            }
            return null;
        } catch (RuntimeException e) {
            return null; // a malformed container event leaves the container unnamed
        }
    }

    private static ContainerInfo container(JsonTokens p) {
        String id = "", name = "", image = "", imageId = "", imageRepo = "", imageTag = "";
        String typeName = "", ip = "";
        boolean privileged = false;
        Map<String, String> labels = new LinkedHashMap<>();
        List<ContainerMount> mounts = new ArrayList<>();
        while (p.next() == Token.FIELD_NAME) {
            String field = p.text();
            Token t = p.next();
            switch (field) {
                case "id" -> id = text(p, t);
                case "name" -> name = text(p, t);
                case "image" -> image = text(p, t);
                case "imageid" -> imageId = text(p, t);
                case "imagerepo" -> imageRepo = text(p, t);
                case "imagetag" -> imageTag = text(p, t);
                case "privileged" -> privileged = t == Token.TRUE
                        || (t == Token.INT && p.longValue() != 0)
                        || (t == Token.STRING && p.text().strip().equalsIgnoreCase("true"));
                case "type" -> typeName = t == Token.INT ? typeName(p.intValue()) : typeText(text(p, t));
                case "labels" -> {
                    if (t == Token.START_OBJECT) {
                        while (p.next() == Token.FIELD_NAME) {
                            String k = p.text();
                            labels.put(k, text(p, p.next()));
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
    private static void mounts(JsonTokens p, Token t, List<ContainerMount> out) {
        if (t != Token.START_ARRAY) {
            p.skipChildren();
            return;
        }
        for (Token item; (item = p.next()) != Token.END_ARRAY && item != null; ) {
            if (item != Token.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String source = "", dest = "", mode = "", propagation = "";
            boolean rw = false;
            while (p.next() == Token.FIELD_NAME) {
                String k = p.text();
                Token v = p.next();
                switch (k) {
                    case "Source" -> source = text(p, v);
                    case "Destination" -> dest = text(p, v);
                    case "Mode" -> mode = text(p, v);
                    case "Propagation" -> propagation = text(p, v);
                    case "RW" -> rw = v == Token.TRUE;
                    default -> p.skipChildren();
                }
            }
            out.add(new ContainerMount(source, dest, mode, rw, propagation));
        }
    }

    /** A scalar's text (numbers and booleans as written); "" for objects, arrays and null, which are skipped. */
    private static String text(JsonTokens p, Token t) {
        if (t == Token.START_OBJECT || t == Token.START_ARRAY) {
            p.skipChildren();
            return "";
        }
        return t == Token.NULL ? "" : p.text();
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
    static String typeName(int type) {
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
