package dev.stasis.response.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.config.ConfigException;
import dev.stasis.response.engine.JsonLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent serves HTTPS from a PKCS#12 keystore made by the JDK's keytool (PEM is covered by AgentTokenReviewTest). */
class AgentTlsTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsFromAPkcs12KeystoreAndNothingInPlainText() throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Files.writeString(dir.resolve("password"), "agent-keystore-pw\n");
        AgentTestSupport.run(dir, keytool, "-genkeypair", "-alias", "agent", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=stasis-agent", "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", "agent.p12", "-storepass", "agent-keystore-pw");
        AgentTestSupport.run(dir, keytool, "-exportcert", "-rfc", "-alias", "agent", "-keystore", "agent.p12",
                "-storepass", "agent-keystore-pw", "-file", "agent.pem");
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(checkpoints.resolve("checkpoint-1.tar"), "one");

        assertThatThrownBy(() -> AgentTls.pkcs12(dir.resolve("agent.p12"), Files.writeString(dir.resolve("wrong"), "nope")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent.p12");

        try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")));
             AgentServer agent = new AgentServer(new InetSocketAddress("127.0.0.1", 0), AgentTls.pkcs12(dir.resolve("agent.p12"), dir.resolve("password")),
                     new NodeCollector(vault, CheckpointDirectory.of(checkpoints), "node-1"), new AgentAuth.StaticToken(() -> "t".repeat(64)),
                     "node-1", JsonLog.SILENT).start()) {
            int port = agent.address().getPort();
            HttpRequest collect = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/collect"))
                    .header("Authorization", "Bearer " + "t".repeat(64))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"checkpoint-1.tar\"}")).build();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(dir.resolve("agent.pem"))).build();
            HttpResponse<String> r = trusting.send(collect, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.sslSession()).isPresent();
            assertThat(r.body()).contains(AgentPathTest.sha("one"));

            // a client that does not trust the agent's certificate does not get through
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(collect, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
            // plain HTTP to the TLS port: no HTTP answer at all
            HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            Certificate c = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            ts.setCertificateEntry("agent", c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
