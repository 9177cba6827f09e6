package io.gatehouse.mcp.internal.mrtr;

import java.security.NoSuchAlgorithmException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * The secret that seals {@code requestState} (AES-256-GCM). Every node that may receive the retry of a request must
 * hold the same key, so the server wiring gives one kept in the embedded authorization server's database (shared by
 * every node of it) or, without one, in the data directory; {@link #ephemeral()} is for a single
 * process (tests, an engine without wiring), whose states no other process can open.
 */
@FunctionalInterface
public interface RequestStateKey {

    /** The 256-bit AES key. Called for every seal and open: implementations load it once and keep it. */
    SecretKey secretKey();

    /** A random key that lives as long as this object. */
    static RequestStateKey ephemeral() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            SecretKey key = generator.generateKey();
            return () -> key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }
}
