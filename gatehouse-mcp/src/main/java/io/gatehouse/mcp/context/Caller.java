package io.gatehouse.mcp.context;

import java.time.Instant;
import java.util.Optional;
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
 * @param subjectToken the bearer token the caller presented, for token exchange only ({@link DownstreamTokens});
 *                     empty when anonymous or not known. Its {@code toString} hides it.
 */
public record Caller(String issuer, String subject, String username, String clientId, Set<String> scopes,
                     Set<String> roles, Instant expiresAt, Optional<SubjectToken> subjectToken) {

    private static final Caller ANONYMOUS = new Caller("", "anonymous", "anonymous", "", Set.of(), Set.of(), Instant.MAX);

    /** Copies the scopes and roles, so a caller never changes. */
    public Caller {
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
        subjectToken = subjectToken == null ? Optional.empty() : subjectToken;
    }

    /** A caller whose presented token is not known. */
    public Caller(String issuer, String subject, String username, String clientId, Set<String> scopes,
                  Set<String> roles, Instant expiresAt) {
        this(issuer, subject, username, clientId, scopes, roles, expiresAt, Optional.empty());
    }

    /** This caller with the bearer token it presented (set by the transport). */
    public Caller withSubjectToken(SubjectToken token) {
        return new Caller(issuer, subject, username, clientId, scopes, roles, expiresAt, Optional.of(token));
    }

    /** The caller of every request when authentication is off. */
    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /** Whether this is {@link #anonymous()}, i.e. authentication is off. */
    public boolean isAnonymous() {
        return this == ANONYMOUS;
    }

    /**
     * Whether the caller's token grants this scope, by the same hierarchy the access policy applies
     * ({@link Scopes#satisfies}): a token with {@code mcp:tools} has {@code mcp:tools:deploy}. Only the token's own
     * scopes count; scopes that the {@code access:} section's role mapping adds apply to declared requirements
     * ({@code requiredScopes}), so prefer declaring a scope when the mapping should count.
     */
    public boolean hasScope(String scope) {
        return Scopes.satisfies(scopes, scope);
    }

    /** Whether the caller holds this role. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /**
     * Fails the running tool, prompt or resource unless the caller's token grants {@code scope}. The refusal
     * becomes the same 403 {@code insufficient_scope} challenge a declared scope gives, naming this scope, so
     * the client can ask the user for it and retry (step-up authorization).
     *
     * @throws InsufficientScopeException when the scope is missing
     */
    public void requireScope(String scope) {
        if (!hasScope(scope)) {
            throw new InsufficientScopeException(Set.of(scope), "this operation needs the scope " + scope);
        }
    }

    /** The key a session is bound to: issuer and subject together, so another principal cannot reuse it. */
    public String principalKey() {
        return issuer + "\u0000" + subject;
    }
}
