package dev.stasis.evidence.internal;

import dev.stasis.evidence.Hashes;
import dev.stasis.evidence.SigningKeyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys in the PEM files OpenSSL reads (PKCS#8 private, X.509
 * SubjectPublicKeyInfo public), so a third party can check a signature with
 * {@code openssl pkeyutl -verify -rawin}.
 */
public final class Ed25519 {
    private Ed25519() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new SigningKeyException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    /**
     * Writes the pair: private key 0600, public key 0644, refusing to overwrite either. Each file
     * appears whole (written aside, fsynced, renamed), so a process that finds it reads all of it.
     */
    public static void save(KeyPair pair, Path privateKey, Path publicKey) {
        if (Files.exists(privateKey)) throw new SigningKeyException("refusing to overwrite the existing key " + privateKey);
        if (Files.exists(publicKey)) throw new SigningKeyException("refusing to overwrite the existing public key " + publicKey);
        try {
            SecureFiles.createPrivateDirectories(privateKey.toAbsolutePath().getParent());
            SecureFiles.publishNew(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
        } catch (IOException e) {
            throw new SigningKeyException("cannot write the signing key " + privateKey + ": " + e.getMessage(), e);
        }
        savePublic(pair.getPublic(), publicKey);
    }

    /** Writes a public key (0644) where none is; refuses to overwrite. */
    public static void savePublic(PublicKey key, Path publicKey) {
        try {
            SecureFiles.createPrivateDirectories(publicKey.toAbsolutePath().getParent());
            if (Files.exists(publicKey)) throw new SigningKeyException("refusing to overwrite the existing public key " + publicKey);
            SecureFiles.publishNew(publicKey, pem("PUBLIC KEY", key.getEncoded()), false);
        } catch (IOException e) {
            throw new SigningKeyException("cannot write the public key " + publicKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * The public half of a private key. Ed25519's private key is the 32-byte seed the public key is
     * computed from; the JDK computes it only while generating a pair, so the generator is handed the
     * seed as its "random" bytes, and the result is checked to hold the same private key.
     */
    public static PublicKey publicFrom(PrivateKey key) {
        if (!(key instanceof java.security.interfaces.EdECPrivateKey ed) || ed.getBytes().isEmpty())
            throw new SigningKeyException("not an Ed25519 private key");
        byte[] seed = ed.getBytes().get();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(java.security.spec.NamedParameterSpec.ED25519, new java.security.SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    if (bytes.length != seed.length) throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
                    System.arraycopy(seed, 0, bytes, 0, seed.length);
                }
            });
            KeyPair pair = g.generateKeyPair();
            if (!java.util.Arrays.equals(pair.getPrivate().getEncoded(), key.getEncoded()))
                throw new SigningKeyException("cannot compute the public key of this Ed25519 private key with this JDK");
            return pair.getPublic();
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new SigningKeyException("cannot compute the public key of this Ed25519 private key: " + e.getMessage(), e);
        }
    }

    public static PrivateKey loadPrivate(Path file) {
        byte[] der = readPem(file, "PRIVATE KEY");
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new SigningKeyException(file + " is not an Ed25519 private key (PKCS#8 PEM)", e);
        }
    }

    public static PublicKey loadPublic(Path file) {
        byte[] der = readPem(file, "PUBLIC KEY");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new SigningKeyException(file + " is not an Ed25519 public key (X.509 PEM)", e);
        }
    }

    /** The key's id: SHA-256 of its X.509 encoding, as {@code openssl pkey -pubin -outform DER | sha256sum} prints. */
    public static String keyId(PublicKey key) {
        return Hashes.sha256Hex(key.getEncoded());
    }

    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new SigningKeyException("cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }

    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        if (signature == null || signature.length != 64) return false;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static byte[] pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] readPem(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new SigningKeyException("cannot read the key " + file + ": " + e.getMessage(), e);
        }
        String begin = "-----BEGIN " + type + "-----", end = "-----END " + type + "-----";
        int b = text.indexOf(begin), e = text.indexOf(end);
        if (b < 0 || e < b) throw new SigningKeyException(file + " has no '" + begin + "' block");
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new SigningKeyException(file + " has a damaged PEM body", ex);
        }
    }
}
