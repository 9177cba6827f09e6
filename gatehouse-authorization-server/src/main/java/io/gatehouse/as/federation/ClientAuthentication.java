package io.gatehouse.as.federation;

import java.nio.file.Path;
import java.util.Objects;

/** How Gatehouse authenticates as a client at the upstream provider's token endpoint. */
public sealed interface ClientAuthentication {

    /** The RFC 7591 name of the method: {@code client_secret_basic}, {@code client_secret_post} or {@code private_key_jwt}. */
    String method();

    /**
     * A shared secret, sent with HTTP Basic ({@code client_secret_basic}) or in the form ({@code client_secret_post}).
     * Never printed: {@link #toString} masks it.
     */
    record SharedSecret(String method, String secret) implements ClientAuthentication {

        public SharedSecret {
            if (!method.equals("client_secret_basic") && !method.equals("client_secret_post")) {
                throw new IllegalArgumentException("a shared secret is sent with client_secret_basic or client_secret_post");
            }
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("the client secret is empty");
            }
        }

        @Override
        public String toString() {
            return "SharedSecret[method=" + method + ", secret=********]";
        }
    }

    /**
     * {@code private_key_jwt} (RFC 7523): a client assertion signed with a key pair kept in {@code keyFile} (owner-only,
     * generated at the first start), whose public key the operator registers at the provider.
     */
    record PrivateKeyJwt(Path keyFile) implements ClientAuthentication {

        public PrivateKeyJwt {
            Objects.requireNonNull(keyFile, "keyFile");
        }

        @Override
        public String method() {
            return "private_key_jwt";
        }
    }
}
