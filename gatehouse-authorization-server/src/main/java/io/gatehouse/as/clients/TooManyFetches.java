package io.gatehouse.as.clients;

import java.time.Duration;

/**
 * A caller made the server fetch more client ID metadata documents than it may in a while; nothing was fetched.
 * Answer 429 with {@code Retry-After}.
 */
public final class TooManyFetches extends RuntimeException {

    private final transient Duration retryAfter;

    TooManyFetches(Duration retryAfter) {
        super("too many client metadata document fetches", null, false, false);
        this.retryAfter = retryAfter;
    }

    /** How long until the caller may make the server fetch again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
