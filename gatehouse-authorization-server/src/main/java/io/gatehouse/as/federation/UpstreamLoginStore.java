package io.gatehouse.as.federation;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What federated login keeps between requests, so that any node can continue what another began: sign-ins started
 * at the provider (by the hash of their {@code state}; anyone can start one, so implementations bound them, the
 * oldest going first), and finished upstream logins with the browser sessions and token families bound to them.
 * The upstream refresh and ID tokens are secrets: a database implementation keeps them sealed under the
 * key-encryption key, never in clear.
 */
public interface UpstreamLoginStore {

    /**
     * A sign-in sent to the provider: the hash of the browser's binding cookie that started it and of the pending
     * authorization it continues.
     */
    record StartedLogin(String bindingHash, String pendingHash, Instant expiresAt) {
    }

    /**
     * A user signed in at the provider.
     *
     * @param loginId       this login's own id (internal, never sent anywhere)
     * @param subject       the user's subject at Gatehouse: the provider's {@code sub}
     * @param username      the name shown (the username claim): display only
     * @param roles         the roles or groups from the provider's claims
     * @param allowedScopes the scopes those roles grant
     * @param refreshToken  the provider's refresh token, when it gave one
     * @param idToken       the provider's ID token (for the end-session request's {@code id_token_hint})
     * @param checkedAt     when the provider last confirmed the login (sign-in or refresh)
     * @param expiresAt     when this record is forgotten
     */
    record Login(String loginId, String subject, String username, Set<String> roles, Set<String> allowedScopes,
                 Optional<String> refreshToken, Optional<String> idToken, Instant checkedAt, Instant expiresAt) {
        public Login {
            roles = Set.copyOf(roles);
            allowedScopes = Set.copyOf(allowedScopes);
        }

        @Override
        public String toString() {
            return "Login[" + loginId + ", subject=" + subject + ", roles=" + roles + "]";
        }
    }

    /** Keeps a started sign-in; may evict the oldest ones. */
    void putStarted(String stateHash, StartedLogin login);

    /** Takes a started sign-in out: present for exactly one of several concurrent callers, on any node. */
    Optional<StartedLogin> takeStarted(String stateHash);

    /** Keeps a finished login, bound to the browser session whose id hashes to {@code sessionHash}. */
    void putLogin(String sessionHash, Login login);

    Optional<Login> loginOfSession(String sessionHash);

    /** Binds a token family to a login: its refreshes check that login at the provider. */
    void linkFamily(String familyId, String loginId);

    Optional<Login> loginOfFamily(String familyId);

    /** The token families bound to a login. */
    Set<String> familiesOfLogin(String loginId);

    /** The provider now states other roles for the login (they grant {@code allowedScopes}). */
    void rolesChanged(String loginId, Set<String> roles, Set<String> allowedScopes);

    /** Records a successful check at the provider, with the refresh token it returned (rotated) if any. */
    void checked(String loginId, Optional<String> refreshToken, Instant checkedAt);

    /** Forgets a login and what is bound to it. */
    void deleteLogin(String loginId);

    /** Forgets what expired before {@code now}, and evicts the oldest started sign-ins beyond the bound. */
    void deleteExpired(Instant now);

    /** How many started sign-ins are held. */
    long startedHeld();
}
