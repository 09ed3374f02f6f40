package dev.stasis.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.stasis.sandbox.Fixtures;
import dev.stasis.sandbox.Tools;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's token protocol, as Harbor, GHCR and Docker Hub speak it, against the real registry:
 * docker-registry configured for token auth (it verifies the JWT against our certificate), and
 * a token service in this test that issues ES256 tokens to the right login, as the protocol
 * documents (GET realm?service=&scope= with HTTP Basic, answer {"token": JWT}).
 */
class BearerTokenPushTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void pushGetsATokenFromTheRealmTheRegistryNames() throws Exception {
        Tools.require("docker-registry");
        Tools.require("skopeo");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path ks = tmp.resolve("ks.p12");
        Tools.ok(keytool, "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "tok", "-dname", "CN=stasis-test-token",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Path certPem = tmp.resolve("cert.pem");
        Files.writeString(certPem, Tools.ok(keytool, "-exportcert", "-rfc", "-alias", "tok", "-keystore", ks.toString(), "-storepass", "changeit"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("tok", "changeit".toCharArray());
        Certificate cert = store.getCertificate("tok");

        AtomicInteger issued = new AtomicInteger();
        HttpServer tokens = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tokens.createContext("/token", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String want = "Basic " + Base64.getEncoder().encodeToString("stasis:s3cret".getBytes(StandardCharsets.UTF_8));
            if (!want.equals(auth)) {
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            }
            String scope = "";
            for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
                if (kv.startsWith("scope=")) scope = URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8);
            }
            byte[] body;
            try {
                body = JSON.writeValueAsBytes(Map.of("token", jwt(key, cert, scope)));
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            issued.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        tokens.start();

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = tmp.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                auth:
                  token:
                    realm: http://127.0.0.1:%d/token
                    service: stasis-test
                    issuer: stasis-test-issuer
                    rootcertbundle: %s
                """.formatted(tmp.resolve("storage"), port, tokens.getAddress().getPort(), certPem));
        Process registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("registry.log").toFile()).start();
        try {
            waitFor(port);
            ImageReference ref = ImageReference.parse("127.0.0.1:" + port + "/stasis/tok:1");
            Path archive = Fixtures.checkpoint("irc-bot.tar");
            assertThatThrownBy(() -> CheckpointImages.build(ImageRequest.of(archive, new ImageTarget.Registry(ref, false, RegistryCredentials.none()))))
                    .isInstanceOf(ImageException.Registry.class).hasMessageContaining("token service 127.0.0.1 refused: HTTP 401");

            Path auth = tmp.resolve("auth.json");
            Files.writeString(auth, "{\"auths\":{\"127.0.0.1:" + port + "\":{\"auth\":\""
                    + Base64.getEncoder().encodeToString("stasis:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            CheckpointImage image = CheckpointImages.build(ImageRequest.of(archive,
                    new ImageTarget.Registry(ref, false, RegistryCredentials.fromFiles(List.of(auth)))));
            assertThat(issued.get()).isPositive();

            String raw = Tools.ok("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "stasis:s3cret", "docker://" + ref);
            assertThat(JSON.readTree(raw).path("annotations").path(CheckpointAnnotations.CRIO_NAME).asText()).isEqualTo("notebook");
            assertThat(JSON.readTree(raw).path("layers").get(0).path("digest").asText()).isEqualTo(image.layerDigest());
        } finally {
            registry.destroy();
            registry.waitFor();
            tokens.stop(0);
        }
    }

    /** An ES256 JWT with the certificate in x5c, granting what the scope asks for. */
    private static String jwt(PrivateKey key, Certificate cert, String scope) throws Exception {
        ObjectNode header = JSON.createObjectNode();
        header.put("typ", "JWT");
        header.put("alg", "ES256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
        ObjectNode claims = JSON.createObjectNode();
        long now = Instant.now().getEpochSecond();
        claims.put("iss", "stasis-test-issuer");
        claims.put("sub", "stasis");
        claims.put("aud", "stasis-test");
        claims.put("iat", now - 10);
        claims.put("nbf", now - 10);
        claims.put("exp", now + 600);
        claims.put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        String[] parts = scope.split(":");
        if (parts.length == 3) {
            ObjectNode a = access.addObject();
            a.put("type", parts[0]);
            a.put("name", parts[1]);
            ArrayNode actions = a.putArray("actions");
            for (String act : parts[2].split(",")) actions.add(act);
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signing = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
        Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
        sig.initSign(key);
        sig.update(signing.getBytes(StandardCharsets.US_ASCII));
        return signing + "." + b64.encodeToString(sig.sign());
    }

    private static void waitFor(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("docker-registry did not start");
    }
}
