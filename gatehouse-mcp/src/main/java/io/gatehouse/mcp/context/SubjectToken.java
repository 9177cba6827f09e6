package io.gatehouse.mcp.context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * The bearer token a caller presented, as the transport received it: what Gatehouse exchanges (RFC 8693 calls it
 * the <i>subject token</i>) for a token of a downstream API. It is the caller's credential for this server only:
 * never forward it, log it or show it. {@link #toString()} hides it; two instances are equal when their tokens are.
 */
public final class SubjectToken {

    private final String value;
    private final String fingerprint;

    private SubjectToken(String value) {
        this.value = value;
        this.fingerprint = sha256(value);
    }

    /** The token as presented (a JWT or an opaque string). */
    public static SubjectToken of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a subject token is not empty");
        }
        return new SubjectToken(value);
    }

    /** The token itself: for the token-exchange request only. */
    public String value() {
        return value;
    }

    /** The token's SHA-256, base64url: names it (in a cache key) without holding it. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectToken that && MessageDigest.isEqual(
                fingerprint.getBytes(StandardCharsets.US_ASCII), that.fingerprint.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(fingerprint);
    }

    @Override
    public String toString() {
        return "SubjectToken[hidden]";
    }

    private static String sha256(String text) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
