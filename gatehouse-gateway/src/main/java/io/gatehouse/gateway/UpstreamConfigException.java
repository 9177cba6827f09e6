package io.gatehouse.gateway;

/** An upstream's configuration is invalid; the message names the upstream, the key and the fix. */
public final class UpstreamConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the upstream and the key */
    public UpstreamConfigException(String message) {
        super(message);
    }
}
