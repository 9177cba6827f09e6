package io.gatehouse.rs.token;

/** Tokens cannot be verified right now (the identity provider's keys or introspection endpoint are unreachable). */
public class VerifierUnavailableException extends RuntimeException {
    public VerifierUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
