package io.gatehouse.as.web;

import java.util.Optional;

/** OAuth endpoints Gatehouse serves on its own origin: the embedded authorization server, or the upstream bridge. */
public interface OAuthRoutes {

    /** The answer to a request for one of these paths; empty for any other path. */
    Optional<AsResponse> handle(AsRequest request);

    /**
     * The answer to a request for one of these paths whose query or form could not be decoded (not percent-encoded
     * UTF-8): the client's mistake, answered 400 without repeating it. An OAuth {@code invalid_request} by default;
     * pages meant for browsers answer an error page.
     */
    default AsResponse malformedRequest(String path) {
        return OAuthErrors.malformedEncoding();
    }

    /** Whether the transport routes this path here. */
    boolean owns(String path);

    /** Whether the path is meant for programs on other origins: answered to any origin with CORS, no cookies. */
    boolean isCrossOrigin(String path);

    /**
     * Readiness of the store behind these routes: empty when there is none (the bridge), else whether it answers
     * now. While it does not, {@link #handle} throws {@code StoreUnavailableException}.
     */
    default Optional<Boolean> storeReachable() {
        return Optional.empty();
    }

    /** Readiness of the signing keys: empty when there are none (the bridge), else whether tokens can be signed now. */
    default Optional<Boolean> signingKeysLoaded() {
        return Optional.empty();
    }

    /** Periodic housekeeping (expired codes, key rotation); nothing by default. */
    default void maintain() {
    }
}
