package io.gatehouse.mcp.context;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token for a downstream API, obtained for the current caller by token exchange (RFC 8693): its audience
 * is the downstream, its subject the caller, its actor this server. Send it as {@code Authorization: Bearer} to that
 * downstream only; never log it or return it to the model. {@link #toString()} hides it.
 *
 * @param value     the access token
 * @param audience  the downstream's audience, as configured
 * @param expiresAt when it expires (as the issuer said; a guess of a few minutes when it did not)
 */
public record DownstreamToken(String value, String audience, Instant expiresAt) {

    public DownstreamToken {
        Objects.requireNonNull(value);
        Objects.requireNonNull(audience);
        Objects.requireNonNull(expiresAt);
    }

    /** The {@code Authorization} header's value: {@code Bearer <token>}. */
    public String authorizationHeader() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "DownstreamToken[audience=" + audience + ", expiresAt=" + expiresAt + ", value=hidden]";
    }
}
