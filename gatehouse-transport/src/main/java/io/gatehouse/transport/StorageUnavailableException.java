package io.gatehouse.transport;

/**
 * A store a request needs cannot be reached right now (a database down, restarting, out of connections): not the
 * client's fault and not a bug. The transport answers 503 with {@code Retry-After}, never a bare 500.
 */
public class StorageUnavailableException extends RuntimeException {

    /**
     * @param message what could not be reached (logged, never sent to the client)
     * @param cause   the underlying failure, if any
     */
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
