package dev.stasis.response.server;

import dev.stasis.response.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** SSL contexts from PEM files (certificate chains and PKCS#8 keys), as Kubernetes secrets hold them. */
public final class Pem {
    private Pem() {}

    public static Certificate[] certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> c = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (c.isEmpty()) throw new ConfigException(file + ": no PEM certificate in it");
            return c.toArray(new Certificate[0]);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        } catch (CertificateException e) {
            throw new ConfigException(file + ": not a PEM certificate: " + e.getMessage());
        }
    }

    public static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        int b = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int e = text.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < 0) throw new ConfigException(file + ": expected a PKCS#8 'BEGIN PRIVATE KEY' PEM (convert with: openssl pkcs8 -topk8 -nocrypt)");
        byte[] der = Base64.getMimeDecoder().decode(text.substring(b + 27, e));
        for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (Exception ignored) {
                // try the next algorithm
            }
        }
        throw new ConfigException(file + ": unsupported private key (EC, RSA or Ed25519 expected)");
    }

    /** Trust exactly the CA certificates in {@code caFile}. */
    public static TrustManagerFactory trust(Path caFile) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (Certificate c : certificates(caFile)) ts.setCertificateEntry("ca" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            return tmf;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new ConfigException("cannot use " + caFile + " as a trust store: " + e.getMessage());
        }
    }

    /** A server (or client) context: our certificate and key, and optionally the CA we trust for the peer. */
    public static SSLContext context(Path cert, Path key, Path trustCa) {
        try {
            KeyManagerFactory kmf = null;
            if (cert != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] pw = "stasis".toCharArray();
                ks.setKeyEntry("me", privateKey(key), pw, certificates(cert));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), trustCa == null ? null : trust(trustCa).getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new ConfigException("cannot set up TLS with " + cert + ": " + e.getMessage());
        }
    }
}
