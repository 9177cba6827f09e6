package io.gatehouse.transport;

import java.util.Optional;

/**
 * The OAuth endpoints served on the MCP server's own origin (an embedded authorization server, or a bridge to an
 * upstream one), as the transport needs them: it decodes the HTTP request into an {@link OAuthRequest} (body read
 * under a limit, query and form decoded) and writes the {@link OAuthResponse} back. The transport knows nothing else
 * of OAuth; the application adapts its authorization server to this interface.
 */
public interface OAuthEndpoints {

    /**
     * The answer to a request for one of these paths; empty when nothing is served there (answered 404).
     *
     * @throws StorageUnavailableException when the store behind the endpoints cannot be reached right now (503)
     */
    Optional<OAuthResponse> handle(OAuthRequest request);

    /**
     * The answer to a request for one of these paths whose query or form is not percent-encoded UTF-8: the client's
     * mistake, answered 400 without repeating it.
     */
    OAuthResponse malformedRequest(String path);

    /** Whether requests for this path are routed here. */
    boolean owns(String path);

    /**
     * Whether the path is meant for programs on other origins (metadata, token, registration, ...): answered to any
     * origin with CORS {@code *}. Other paths (login and consent pages) are same-origin only.
     */
    boolean isCrossOrigin(String path);

    /** Readiness of the store behind the endpoints: empty when there is none, else whether it answers now. */
    default Optional<Boolean> storeReachable() {
        return Optional.empty();
    }

    /** Readiness of the signing keys: empty when there are none (a bridge), else whether they are loaded. */
    default Optional<Boolean> signingKeysLoaded() {
        return Optional.empty();
    }

    /** Periodic housekeeping (expired codes, key rotation), run once a minute; nothing by default. */
    default void maintain() {
    }
}
