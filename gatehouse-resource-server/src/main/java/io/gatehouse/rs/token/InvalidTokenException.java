package io.gatehouse.rs.token;

/**
 * The token is not acceptable. {@link #getMessage()} is for logs; {@link #publicDescription()} is the
 * non-revealing text a client may see.
 */
public class InvalidTokenException extends RuntimeException {

    private final String publicDescription;
    private final boolean expiry;

    public InvalidTokenException(String logMessage, String publicDescription) {
        this(logMessage, publicDescription, false);
    }

    private InvalidTokenException(String logMessage, String publicDescription, boolean expiry) {
        super(logMessage, null, false, false);
        this.publicDescription = publicDescription;
        this.expiry = expiry;
    }

    public InvalidTokenException(String logMessage) {
        this(logMessage, "The access token is not valid for this resource");
    }

    public static InvalidTokenException expired() {
        return new InvalidTokenException("token expired", "The access token has expired", true);
    }

    /** Whether the token was refused only because it expired (counted apart in the metrics). */
    public boolean isExpiry() {
        return expiry;
    }

    public String publicDescription() {
        return publicDescription;
    }
}
