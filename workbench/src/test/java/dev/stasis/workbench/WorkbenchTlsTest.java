package dev.stasis.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workbench over HTTPS with a certificate openssl made for the test: the client trusts only that
 * certificate (loaded here, not by stasis), and the certificate it is shown is openssl's, by fingerprint.
 */
class WorkbenchTlsTest {
    static final String TOKEN = "tls-lab-token-0123456789abcdef";
    @TempDir
    static Path tmp;
    static Lab lab;
    static Path cert, key;

    @BeforeAll
    static void setUp() throws Exception {
        GroundTruth.require(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl (apt-get install openssl) makes the test's certificate");
        lab = new Lab(tmp);
        cert = tmp.resolve("cert.pem");
        key = tmp.resolve("key.pem");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=stasis-ui-test", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString());
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) lab.close();
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    /** A client that trusts exactly the test's certificate. */
    static HttpClient trusting(Path certFile) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(certFile)) {
            ts.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void servesHttpsWithTheGivenCertificateAndStillWantsTheTokenOffLoopback() throws Exception {
        InetSocketAddress any = new InetSocketAddress("0.0.0.0", 0);
        // TLS does not replace the token: off loopback it is still required
        assertThatThrownBy(() -> Workbench.start(lab.config(any, null).withTls(cert, key))).isInstanceOf(WorkbenchException.class)
                .hasMessageContaining("not loopback").hasMessageContaining("bearer token");
        try (Workbench wb = Workbench.start(lab.config(any, TOKEN).withTls(cert, key))) {
            assertThat(wb.uri().getScheme()).isEqualTo("https");
            URI base = URI.create("https://127.0.0.1:" + wb.uri().getPort() + "/");
            HttpClient https = trusting(cert);

            HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(base.resolve("/cases")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(303);
            assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");

            HttpResponse<String> items = https.send(HttpRequest.newBuilder(base.resolve("/items")).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(items.statusCode()).isEqualTo(200);
            assertThat(items.body()).contains(lab.checkpoint.substring(0, 12));
            // over TLS the cookies never travel in clear
            assertThat(items.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("stasis_csrf=").contains("Secure"));

            // the certificate presented is the one openssl made: same SHA-256 fingerprint
            Certificate shown = items.sslSession().orElseThrow().getPeerCertificates()[0];
            String fingerprint = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(shown.getEncoded()));
            String openssl = run("openssl", "x509", "-in", cert.toString(), "-noout", "-fingerprint", "-sha256");
            assertThat(openssl.strip().replace(":", "")).endsWith("=" + fingerprint);

            // plain HTTP to the port gets no page, and a client that does not trust the certificate is refused
            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + wb.uri().getPort() + "/items"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            Path other = tmp.resolve("other.pem");
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=someone-else", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", tmp.resolve("other-key.pem").toString(), "-out", other.toString());
            assertThatThrownBy(() -> trusting(other).send(HttpRequest.newBuilder(base.resolve("/items")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void aBadCertificateOrKeyIsOneLineNamingTheFile() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        Path garbage = tmp.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        Path missing = tmp.resolve("missing.pem");
        for (List<Path> pair : List.of(List.of(garbage, key), List.of(cert, garbage), List.of(key, cert), List.of(missing, key), List.of(cert, missing))) {
            assertThatThrownBy(() -> Workbench.start(lab.config(loopback, null).withTls(pair.get(0), pair.get(1))).close())
                    .as(pair.toString()).isInstanceOf(WorkbenchException.class)
                    .hasMessageStartingWith("TLS: ").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(pair.get(0).toString(), pair.get(1).toString()));
        }
    }
}
