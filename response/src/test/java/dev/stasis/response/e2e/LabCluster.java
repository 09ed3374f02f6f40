package dev.stasis.response.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.stasis.response.TestPki;
import dev.stasis.response.backend.FakeKubelet;
import dev.stasis.response.server.Pem;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;

/**
 * What a cluster gives the workflow's steps, on this machine, for {@code deploy/image/steps-in-image.sh} to run
 * {@code stasis act} in the image against (there is no Kubernetes here):
 * <ul>
 *   <li>an API server: the fabric8 Kubernetes mock server in CRUD mode, holding a Node (InternalIP 127.0.0.1) and a
 *       Pod scheduled on it, so the steps' lookups, label patches and NetworkPolicies are real API calls the script
 *       then reads back;</li>
 *   <li>that node's kubelet checkpoint API ({@code POST /checkpoint/{ns}/{pod}/{container}}, HTTPS, bearer token: the
 *       protocol-exact {@link FakeKubelet}) whose runtime is the real podman: each request runs
 *       {@code podman container checkpoint --export} on a lab container, so the step gets a real archive;</li>
 *   <li>a webhook receiver for notify, writing each body it gets to {@code notify.jsonl};</li>
 *   <li>the Argo Server's submit and list API ({@link dev.stasis.response.argo.ArgoDouble}, HTTPS), for
 *       {@code stasis serve} with {@code executor: argo}.</li>
 * </ul>
 * Writes {@code DIR/lab.env} (ports, token, CA) and runs until killed.
 * <pre>java -cp TEST_CLASSPATH dev.stasis.response.e2e.LabCluster DIR NAMESPACE POD CONTAINER NODE PODMAN_CONTAINER</pre>
 */
public final class LabCluster {
    private LabCluster() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LabCluster DIR NAMESPACE POD CONTAINER NODE PODMAN_CONTAINER");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        String ns = args[1], pod = args[2], container = args[3], node = args[4], podman = args[5];
        Path checkpoints = Files.createDirectories(dir.resolve("kubelet-checkpoints"));

        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient k = api.createClient()) {
            k.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress().endStatus().build()).create();
            k.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(ns).withUid(java.util.UUID.randomUUID().toString())
                    .addToLabels("app", pod).endMetadata()
                    .withNewSpec().withNodeName(node).addNewContainer().withName(container).withImage("localhost/base:12").endContainer().endSpec().build()).create();
        }

        TestPki pki = TestPki.create(dir.resolve("pki"));
        FakeKubelet kubelet = new FakeKubelet(Pem.context(pki.serverCert(), pki.serverKey(), null), checkpoints);
        kubelet.container(ns, pod, container, FakeKubelet.Behaviour.OK);
        // the runtime behind the kubelet's API: CRI-O would run CRIU on the pod's container; here podman does, on a lab container
        kubelet.onCheckpoint = archive -> {
            Process p = new ProcessBuilder(List.of("podman", "container", "checkpoint", "--leave-running", "--tcp-established",
                    "--export=" + archive, podman)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (p.waitFor() != 0) throw new IOException("podman container checkpoint " + podman + " failed: " + out.strip());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            System.err.println("kubelet: podman container checkpoint " + podman + " -> " + archive + " (" + Files.size(archive) + " bytes)");
        };

        Path received = dir.resolve("notify.jsonl");
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                Files.write(received, (new String(body, StandardCharsets.UTF_8).replace("\n", " ") + "\n").getBytes(StandardCharsets.UTF_8),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                ex.sendResponseHeaders(200, -1);
            }
        });
        hook.start();

        // the Argo Server's submit API, for `stasis serve` with executor argo (HTTPS, the same test CA)
        dev.stasis.response.argo.ArgoDouble argo = new dev.stasis.response.argo.ArgoDouble("stasis-agent", "argo-lab-token-5d1e",
                Pem.context(pki.serverCert(), pki.serverKey(), null));

        Files.writeString(dir.resolve("lab.env"), String.join("\n",
                "ARGO_URL=" + argo.uri(),
                "ARGO_TOKEN=" + argo.token,
                "API_URL=http://127.0.0.1:" + api.getPort(),
                "KUBELET_PORT=" + kubelet.port(),
                "KUBELET_TOKEN=" + FakeKubelet.GOOD_TOKEN,
                "KUBELET_CA=" + pki.caCert(),
                "NOTIFY_URL=http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                "CHECKPOINT_DIR=" + checkpoints, "") );
        System.err.println("lab cluster: API server http://127.0.0.1:" + api.getPort() + ", kubelet https://127.0.0.1:" + kubelet.port()
                + ", webhook http://127.0.0.1:" + hook.getAddress().getPort() + ", Argo Server " + argo.uri() + "; node " + node + ", pod " + ns + "/" + pod + "/" + container
                + " is podman container " + podman);
        Thread.currentThread().join();
    }
}
