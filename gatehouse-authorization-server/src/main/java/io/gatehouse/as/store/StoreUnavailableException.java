package io.gatehouse.as.store;

/**
 * The authorization server's database cannot be reached right now (down, restarting, out of connections). Not
 * the client's fault and not a bug: the HTTP side answers 503 with {@code Retry-After}, never a bare 500.
 */
public final class StoreUnavailableException extends RuntimeException {

    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
