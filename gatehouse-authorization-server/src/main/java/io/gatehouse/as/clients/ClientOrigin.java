package io.gatehouse.as.clients;

import java.util.Locale;

/**
 * Where a client came from, which decides what it may ever get. Only clients the operator approved (configured
 * in the config file, or registered with the initial access token) may use {@code client_credentials}: a client
 * that registered itself, or that a metadata document describes, acts only for a user who logs in and consents.
 */
public enum ClientOrigin {
    /** From the config file's {@code clients:} section. */
    CONFIGURED,
    /** Dynamic registration (RFC 7591) that presented the initial access token. */
    REGISTERED_WITH_TOKEN,
    /** Open dynamic registration: anyone who can reach the server. */
    SELF_REGISTERED,
    /** A client ID metadata document fetched from the client's own URL. */
    METADATA_DOCUMENT;

    /** Whether the operator approved this client (and so may give it a machine identity of its own). */
    public boolean operatorApproved() {
        return this == CONFIGURED || this == REGISTERED_WITH_TOKEN;
    }

    /** The value stored in the database. */
    public String storedValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads a stored value; anything unknown is treated as the least trusted origin that is stored. */
    public static ClientOrigin ofStored(String value) {
        for (ClientOrigin origin : values()) {
            if (origin.storedValue().equals(value)) {
                return origin;
            }
        }
        return SELF_REGISTERED;
    }
}
