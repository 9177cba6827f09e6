package io.gatehouse.as.web;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** A request the authorization server refuses, with the OAuth error (which carries its HTTP status). */
public class OAuthException extends RuntimeException {

    private final transient ErrorObject error;

    public OAuthException(ErrorObject error) {
        super(error.getCode() + ": " + error.getDescription(), null, false, false);
        this.error = error;
    }

    /** The error with a description written by the server; characters RFC 6749 does not allow become {@code ?}. */
    public OAuthException(ErrorObject error, String description) {
        this(OAuthErrors.describe(error, description));
    }

    public ErrorObject error() {
        return error;
    }
}
