package io.gatehouse.rs.token;

/**
 * The token is not acceptable. {@link #getMessage()} is for logs; {@link #publicDescription()} is the
 * non-revealing text a client may see.
 */
public class InvalidTokenException extends RuntimeException {

    private final String publicDescription;

    public InvalidTokenException(String logMessage, String publicDescription) {
        super(logMessage, null, false, false);
        this.publicDescription = publicDescription;
    }

    public InvalidTokenException(String logMessage) {
        this(logMessage, "The access token is not valid for this resource");
    }

    public static InvalidTokenException expired() {
        return new InvalidTokenException("token expired", "The access token has expired");
    }

    public String publicDescription() {
        return publicDescription;
    }
}
