package io.gatehouse.rs.token;

import java.time.Duration;

/**
 * Tokens cannot be verified right now (the identity provider's keys or introspection endpoint are unreachable):
 * 503 with {@code Retry-After}, never "invalid token".
 */
public class VerifierUnavailableException extends RuntimeException {

    /** What {@code Retry-After} says when the verifier knows no better. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final Duration retryAfter;

    public VerifierUnavailableException(String message, Throwable cause) {
        this(message, cause, DEFAULT_RETRY_AFTER);
    }

    public VerifierUnavailableException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When asking again may help: at least one second. */
    public Duration retryAfter() {
        return retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
    }
}
