package io.gatehouse.client.oauth;

/** The client cannot go on: a server or identity provider answered something the specification forbids, or refused. */
public class OAuthClientException extends RuntimeException {
    public OAuthClientException(String message) {
        super(message, null, false, false);
    }
}
