package io.gatehouse.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The TLS credentials read from their files into an in-memory keystore for Jetty, checked on the way: the chain
 * parses, the key parses (PEM by Bouncy Castle's parser, PKCS#12 by the JDK), and the key belongs to the first
 * certificate (a signature made with it verifies with the certificate's public key), so a half-replaced pair is
 * refused instead of failing every handshake. Messages name the file and never contain key material.
 *
 * @param keyStore the key entry {@link #ALIAS} with its chain, protected by {@link #password}
 * @param leaf     the server's certificate
 */
record TlsCredentials(KeyStore keyStore, char[] password, X509Certificate leaf) {

    static final String ALIAS = "gatehouse";

    static TlsCredentials load(TlsConfig config) {
        return switch (config) {
            case TlsConfig.Pem pem -> fromPem(pem.certificateChain(), pem.privateKey());
            case TlsConfig.Pkcs12 p12 -> fromPkcs12(p12.keystore(), p12.password().toCharArray());
        };
    }

    private static TlsCredentials fromPem(Path chainFile, Path keyFile) {
        List<X509Certificate> chain = certificates(chainFile);
        PrivateKey key = privateKey(keyFile);
        return of(key, chain, chainFile + " and " + keyFile);
    }

    private static TlsCredentials fromPkcs12(Path file, char[] password) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the TLS keystore " + file + " (a PKCS#12 file with this password): "
                    + reason(e));
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password);
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                        return of(privateKey, java.util.Arrays.stream(chain).map(c -> (X509Certificate) c).toList(), file.toString());
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the private key in the TLS keystore " + file + ": " + reason(e));
        }
        throw new IllegalArgumentException("The TLS keystore " + file + " holds no private key with its certificate");
    }

    private static TlsCredentials of(PrivateKey key, List<X509Certificate> chain, String source) {
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(key, leaf)) {
            throw new IllegalArgumentException("The TLS private key does not belong to the certificate (" + source + "): "
                    + "the first certificate of the chain must be the server's own");
        }
        char[] password = java.util.UUID.randomUUID().toString().toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
            return new TlsCredentials(store, password, leaf);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot hold the TLS key in memory: " + reason(e), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("The TLS certificate file " + file + " holds no certificate");
            }
            return chain;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the TLS certificate file " + file + " (PEM, server certificate first): "
                    + reason(e));
        }
    }

    private static PrivateKey privateKey(Path file) {
        Object parsed;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(in)) {
            // skips what may come before the key, e.g. the EC PARAMETERS block of 'openssl ecparam -genkey'
            do {
                parsed = pem.readObject();
            } while (parsed != null && !isKey(parsed));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot read the TLS private key file " + file + " (PEM): " + reason(e));
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            return switch (parsed) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PEMEncryptedKeyPair encrypted -> throw encrypted(file);
                case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encrypted(file);
                case null, default -> throw new IllegalArgumentException("The TLS private key file " + file + " holds no PEM private key");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the TLS private key file " + file + ": " + reason(e));
        }
    }

    private static boolean isKey(Object parsed) {
        return parsed instanceof PrivateKeyInfo || parsed instanceof PEMKeyPair || parsed instanceof PEMEncryptedKeyPair
                || parsed instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    private static IllegalArgumentException encrypted(Path file) {
        return new IllegalArgumentException("The TLS private key file " + file + " is encrypted; give an unencrypted key "
                + "(openssl pkey -in KEY -out PLAIN) readable only by Gatehouse's user, or a PKCS#12 keystore with a password");
    }

    /** Whether a signature made with {@code key} verifies with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a key type this check does not know: the handshake will tell
        }
        try {
            byte[] probe = "gatehouse tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The failure's own words, without a stack trace; the type when it has none. */
    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
