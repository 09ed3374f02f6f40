package dev.stasis.response.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.alert.Target;
import dev.stasis.response.k8s.Cluster;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Checkpoints a container through the kubelet checkpoint API (KEP-2008):
 * {@code POST https://NODE:10250/checkpoint/{namespace}/{pod}/{container}?timeout=S},
 * or the same path through the API server's node proxy
 * ({@code /api/v1/nodes/{node}/proxy/checkpoint/...}). The pod's node comes
 * from the Kubernetes API, never from the alert alone: an alert is input from
 * the network.
 */
public final class KubeletBackend implements CheckpointBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How to reach the kubelet. */
    public enum Mode { DIRECT, PROXY }

    private final Cluster cluster;
    private final HttpClient http;
    private final Supplier<String> token;
    private final Mode mode;
    private final int port;
    private final URI apiServer;
    private final Duration margin;

    /**
     * @param cluster   pod-to-node lookup
     * @param http      an HTTPS client trusting the kubelet's (or the API server's) CA
     * @param token     the bearer token (re-read per call: projected tokens rotate)
     * @param mode      direct to the kubelet, or through the API server's node proxy
     * @param port      the kubelet port (10250)
     * @param apiServer the API server's URL, for the proxy mode
     * @param margin    how long past the checkpoint timeout to wait for the kubelet's answer before giving up
     */
    public KubeletBackend(Cluster cluster, HttpClient http, Supplier<String> token, Mode mode, int port, URI apiServer, Duration margin) {
        this.cluster = cluster;
        this.http = http;
        this.token = token;
        this.mode = mode;
        this.port = port;
        this.apiServer = apiServer;
        this.margin = margin;
    }

    @Override
    public String name() {
        return "kubelet";
    }

    @Override
    public Checkpoint checkpoint(Target t, CheckpointOptions options) {
        if (!t.isKubernetes())
            throw new ActionException("the alert names no Kubernetes container (k8s.ns.name, k8s.pod.name, container.name needed)", false);
        Cluster.PodPlacement where = cluster.place(t.namespace(), t.pod(), t.container());
        long seconds = Math.max(1, options.timeout().toSeconds());
        String path = "/checkpoint/" + seg(t.namespace()) + "/" + seg(t.pod()) + "/" + seg(t.container()) + "?timeout=" + seconds;
        URI uri = switch (mode) {
            case DIRECT -> URI.create("https://" + hostPort(where.address()) + path);
            case PROXY -> URI.create(stripSlash(apiServer.toString()) + "/api/v1/nodes/" + seg(where.node()) + "/proxy" + path);
        };
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                // the kubelet holds the request while CRIU runs: allow its timeout plus a margin, then give up
                .timeout(Duration.ofSeconds(seconds).plus(margin));
        String tok = token.get();
        if (tok != null && !tok.isBlank()) req.header("Authorization", "Bearer " + tok.strip());
        HttpResponse<String> resp;
        String what = t.namespace() + "/" + t.pod() + "/" + t.container() + " on node " + where.node();
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ActionException("kubelet of node " + where.node() + " did not answer the checkpoint of " + what + " within " + Duration.ofSeconds(seconds).plus(margin).toSeconds() + "s", true);
        } catch (IOException e) {
            throw new ActionException("cannot reach the kubelet at " + uri.getHost() + ":" + uri.getPort() + ": " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("interrupted while checkpointing " + what, true);
        }
        String body = resp.body() == null ? "" : resp.body().strip();
        String brief = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        brief = brief.replaceAll("\\s+", " ");
        return switch (resp.statusCode()) {
            case 200 -> new Checkpoint(name(), where.node(), archivePath(body, what), Instant.now());
            case 401 -> throw new ActionException("kubelet of node " + where.node() + " rejected the token (401 Unauthorized): the service account token is missing, expired or not trusted by the kubelet", false);
            case 403 -> throw new ActionException("not allowed to checkpoint " + what + " (403 Forbidden): the service account needs 'create' on 'nodes/checkpoint'"
                    + (mode == Mode.PROXY ? " and 'nodes/proxy' for the API server proxy" : ""), false);
            case 404 -> throw new ActionException("kubelet of node " + where.node() + " answered 404 for " + what
                    + ": the ContainerCheckpoint feature gate is off, or the kubelet does not know this pod or container", false);
            case 500 -> throw new ActionException("the container runtime failed to checkpoint " + what
                    + " (500): " + (brief.isEmpty() ? "no detail" : brief) + " (is CRIU installed and checkpointing enabled in CRI-O/containerd?)", true);
            default -> throw new ActionException("kubelet of node " + where.node() + " answered " + resp.statusCode() + " for " + what + ": " + brief,
                    resp.statusCode() >= 500 || resp.statusCode() == 429);
        };
    }

    /**
     * The kubelet names the archive itself (checkpoint-POD_NS-CONTAINER-TIME.tar)
     * and tells it only in its answer, which an interrupted attempt never
     * read: the engine cannot find that archive, so it says where to look.
     */
    @Override
    public Recovery recover(Target t, CheckpointOptions options, String actionId) {
        return new Recovery(null, "an earlier attempt was interrupted before the kubelet answered; if it finished, its archive is on the pod's node"
                + " under /var/lib/kubelet/checkpoints/checkpoint-" + t.pod() + "_" + t.namespace() + "-" + t.container()
                + "-*.tar and is not in the vault; the checkpoint is taken again");
    }

    /** KEP-2008's answer: {@code {"items":["/var/lib/kubelet/checkpoints/checkpoint-...tar"]}}. */
    static String archivePath(String body, String what) {
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode items = n.path("items");
            if (items.isArray() && !items.isEmpty() && items.get(0).isTextual() && !items.get(0).asText().isBlank()) return items.get(0).asText();
        } catch (IOException e) {
            // fall through to the error below
        }
        throw new ActionException("kubelet answered 200 for " + what + " without an archive path (expected {\"items\":[path]})", false);
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String hostPort(String address) {
        return (address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address) + ":" + port;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
