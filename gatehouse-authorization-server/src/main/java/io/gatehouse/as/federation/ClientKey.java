package io.gatehouse.as.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Optional;
import java.util.UUID;

/**
 * Gatehouse's key pair for {@code private_key_jwt} at the provider: an RSA key kept as a JWK in a file readable by
 * its owner only, generated at the first start. Its public half is what the operator registers at the provider.
 */
final class ClientKey {

    private final Optional<RSAKey> key;

    private ClientKey(Optional<RSAKey> key) {
        this.key = key;
    }

    /** No key: the client authenticates with a shared secret. */
    static ClientKey none() {
        return new ClientKey(Optional.empty());
    }

    /** The key in {@code file}, generated there (mode 600) when the file does not exist. */
    static ClientKey loadOrGenerate(Path file) {
        try {
            if (Files.exists(file)) {
                return new ClientKey(Optional.of(RSAKey.parse(Files.readString(file))));
            }
            RSAKey generated = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, generated.toJSONString(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return new ClientKey(Optional.of(generated));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the federated login's client key " + file, e);
        } catch (java.text.ParseException | JOSEException e) {
            throw new IllegalStateException("the federated login's client key " + file + " is not an RSA JWK", e);
        }
    }

    PrivateKey privateKey() throws JOSEException {
        return key.orElseThrow(() -> new JOSEException("no client key")).toPrivateKey();
    }

    String keyId() {
        return key.map(RSAKey::getKeyID).orElse(null);
    }

    /** The public key set to register at the provider (empty without a key). */
    JWKSet publicKeys() {
        return key.map(k -> new JWKSet(k.toPublicJWK())).orElse(new JWKSet());
    }
}
