package dev.stasis.response;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away CA with a server certificate for 127.0.0.1 and two client
 * certificates, made with the real openssl CLI (PEM, PKCS#8 keys), so the
 * TLS code reads what Kubernetes secrets and cert-manager produce.
 */
public record TestPki(Path dir, Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey, Path otherCaCert,
                      Path strangerCert, Path strangerKey) {

    public static TestPki create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=stasis-test-ca");
        leaf(dir, "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost", "ca");
        leaf(dir, "client", "/CN=falcosidekick", null, "ca");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.pem",
                "-days", "2", "-subj", "/CN=other-ca");
        leaf(dir, "stranger", "/CN=falcosidekick", null, "other-ca");
        return new TestPki(dir, dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"), dir.resolve("client.pem"),
                dir.resolve("client.key"), dir.resolve("other-ca.pem"), dir.resolve("stranger.pem"), dir.resolve("stranger.key"));
    }

    private static void leaf(Path dir, String name, String subject, String san, String ca) throws IOException, InterruptedException {
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", subject);
        List<String> sign = new ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2"));
        if (san != null) {
            Files.writeString(dir.resolve(name + ".ext"), san + "\n");
            sign.addAll(List.of("-extfile", name + ".ext"));
        }
        openssl(dir, sign.toArray(String[]::new));
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
}
