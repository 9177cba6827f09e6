package io.gatehouse.mcp.server;

import java.time.Instant;
import java.util.Set;

/**
 * Who sent a request, as established by the transport's authentication step. The MCP core never decides
 * this itself; with authentication off every request comes from {@link #anonymous()}.
 *
 * @param issuer    who vouched for the caller ("" when anonymous)
 * @param subject   stable id of the user or client at that issuer
 * @param username  display name (e.g. {@code preferred_username}); falls back to the subject
 * @param clientId  the OAuth client that acts for the user ("" when unknown)
 * @param scopes    granted scopes
 * @param roles     roles read from the token
 * @param expiresAt when the credential expires ({@link Instant#MAX} when it does not)
 */
public record Caller(String issuer, String subject, String username, String clientId, Set<String> scopes,
                     Set<String> roles, Instant expiresAt) {

    private static final Caller ANONYMOUS = new Caller("", "anonymous", "anonymous", "", Set.of(), Set.of(), Instant.MAX);

    public Caller {
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
    }

    public static Caller anonymous() {
        return ANONYMOUS;
    }

    public boolean isAnonymous() {
        return this == ANONYMOUS;
    }

    /** The key a session is bound to: issuer and subject together, so another principal cannot reuse it. */
    public String principalKey() {
        return issuer + "\u0000" + subject;
    }
}
