package io.gatehouse.as.token;

/**
 * A token exchange the authorization server refused, with the OAuth error code it would answer at the token
 * endpoint ({@code invalid_grant}, {@code invalid_target}, {@code invalid_scope}, {@code unauthorized_client},
 * {@code invalid_request}, {@code invalid_client}) and a description written by the server (never a token).
 */
public final class TokenExchangeException extends RuntimeException {

    private final String error;
    private final String description;

    TokenExchangeException(String error, String description) {
        super(error + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
    }

    /** The OAuth error code (RFC 6749 section 5.2, RFC 8693 section 2.2.2). */
    public String error() {
        return error;
    }

    /** Why, in words (safe to show to a user or a model: it holds no token). */
    public String description() {
        return description;
    }
}
