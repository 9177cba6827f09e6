package io.gatehouse.transport;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the public listener's TLS certificate and private key come from: PEM files (what certbot, cert-manager and
 * most CAs hand out) or a PKCS#12 keystore. The files are watched while the server runs, and a changed certificate is
 * served from the next handshake on, without a restart ({@link CertificateReloader}).
 */
public sealed interface TlsConfig {

    /** The files that make up the credentials, to be watched for changes. */
    List<Path> files();

    /**
     * A PEM certificate chain (the server's certificate first) and its PEM private key (PKCS#8, PKCS#1 or SEC1; not
     * encrypted: the file's permissions protect it).
     */
    record Pem(Path certificateChain, Path privateKey) implements TlsConfig {
        public Pem {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        @Override
        public List<Path> files() {
            return List.of(certificateChain, privateKey);
        }
    }

    /** A PKCS#12 keystore holding one private key entry with its certificate chain. */
    record Pkcs12(Path keystore, String password) implements TlsConfig {
        public Pkcs12 {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public List<Path> files() {
            return List.of(keystore);
        }

        @Override
        public String toString() {
            return "Pkcs12[keystore=" + keystore + ", password=***]";
        }
    }

    /**
     * Reads the credentials now, as the server will at start: a clear message (which file, what is wrong) for a file
     * that is missing, unreadable, not PEM/PKCS#12, holds no key, or whose key does not match its certificate.
     *
     * @throws IllegalArgumentException with that message
     */
    default void check() {
        TlsCredentials.load(this);
    }
}
