package io.gatehouse.rs.token;

import com.nimbusds.jose.KeySourceException;
import java.time.Duration;

/** The verification keys cannot be had now; {@link #retryAfter()} says when they may be. */
final class KeysUnavailableException extends KeySourceException {

    private final Duration retryAfter;

    KeysUnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
