package io.gatehouse.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;

/**
 * The key pair of {@code local-keys} mode: generated here (never committed anywhere), the private key written
 * readable only by its owner as a JWK, the public half as a JWK set that {@code gatehouse serve} verifies with
 * (also owner-only; copy it to share it). Missing directories are created with mode 700. The private key is not
 * encrypted: it is the operator's minting credential, handed to {@code gatehouse token mint --key}, and the server
 * never reads it.
 */
public final class LocalKeys {

    public static final String PRIVATE_KEY_FILE = "signing-key.jwk";
    public static final String PUBLIC_KEYS_FILE = "jwks.json";

    /** The kinds of key pair {@code gatehouse keys generate} makes. */
    public enum KeyType { RSA, EC }

    private LocalKeys() {
    }

    /** Generates a signing key pair into {@code dir}; refuses to overwrite an existing private key. */
    public static JWK generate(Path dir, KeyType type) throws IOException {
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        if (Files.exists(privateFile)) {
            throw new IOException(privateFile + " already exists; remove it first to replace the key");
        }
        JWK key;
        String kid = "gatehouse-" + Instant.now().getEpochSecond();
        try {
            key = switch (type) {
                case RSA -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
                case EC -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
            };
        } catch (JOSEException e) {
            throw new IOException("cannot generate a key: " + e.getMessage(), e);
        }
        OwnerOnlyFiles.createDirectories(dir);
        OwnerOnlyFiles.create(privateFile, key.toJSONString());
        OwnerOnlyFiles.write(dir.resolve(PUBLIC_KEYS_FILE), new JWKSet(key.toPublicJWK()).toString(true));
        return key;
    }

    public static JWK readPrivateKey(Path file) throws IOException {
        try {
            JWK key = JWK.parse(Files.readString(file));
            if (!key.isPrivate()) {
                throw new IOException(file + " holds no private key");
            }
            return key;
        } catch (ParseException e) {
            throw new IOException("cannot read the key in " + file + ": " + e.getMessage(), e);
        }
    }
}
