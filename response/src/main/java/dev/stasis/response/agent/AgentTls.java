package dev.stasis.response.agent;

import dev.stasis.response.config.ConfigException;
import dev.stasis.response.server.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The agent's server certificate and key, from PEM files (as Kubernetes TLS secrets hold them) or a PKCS#12 keystore. */
public final class AgentTls {
    private AgentTls() {}

    /** PEM certificate chain and PKCS#8 key. */
    public static SSLContext pem(Path cert, Path key) {
        if (cert == null || key == null) throw new ConfigException("give both the TLS certificate and its key");
        return Pem.context(cert, key, null);
    }

    /**
     * A PKCS#12 keystore with one key entry.
     *
     * @param passwordFile file holding the store's password (first line), or null for an empty password
     */
    public static SSLContext pkcs12(Path keystore, Path passwordFile) {
        char[] pw;
        try {
            pw = passwordFile == null ? new char[0] : Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new ConfigException("cannot read the keystore password file " + passwordFile + ": " + e.getMessage());
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            boolean hasKey = false;
            for (var aliases = ks.aliases(); aliases.hasMoreElements(); ) hasKey |= ks.isKeyEntry(aliases.nextElement());
            if (!hasKey) throw new ConfigException(keystore + ": no private key entry in the keystore");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException e) {
            throw new ConfigException("cannot read the keystore " + keystore + ": " + firstLine(e.getMessage()));
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cannot use the keystore " + keystore + ": " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
