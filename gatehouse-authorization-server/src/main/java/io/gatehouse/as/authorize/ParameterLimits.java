package io.gatehouse.as.authorize;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The longest value each client-supplied parameter of the authorization request and of the login and consent
 * forms may have (in characters). Where a value is stored, its limit is the database column it goes to
 * ({@code V1__authorization_server.sql}); the others are generous for what they carry. A request over a limit
 * is refused before anything is looked up or kept, so a browser or a script cannot make the server hold
 * attacker-sized text. Only the limit's name is ever shown, never the value.
 */
final class ParameterLimits {

    /** At most this many {@code resource} parameters (RFC 8707 allows several; the server accepts one). */
    static final int MAX_RESOURCES = 10;

    static final Map<String, Integer> AUTHORIZE = Map.of(
            "client_id", 512,                // gh_clients.client_id, gh_consents.client_id, gh_codes.client_id
            "redirect_uri", 2000,            // gh_codes.redirect_uri
            "scope", 2000,                   // gh_codes.scopes, gh_consents.scopes
            "state", 1024,                   // echoed to the client, never stored
            "code_challenge", 128,           // gh_codes.code_challenge (RFC 7636: 43 to 128)
            "code_challenge_method", 16,
            "response_type", 32,
            "resource", 2000,                // gh_codes.resource
            "nonce", 512);

    static final Map<String, Integer> LOGIN = Map.of(
            "request", 64,                   // the pending authorization's id (32 characters)
            "username", 200,                 // gh_consents.username, gh_codes.username
            "password", 1024);

    static final Map<String, Integer> CONSENT = Map.of(
            "request", 64,
            "csrf", 64,                      // the session's CSRF token (43 characters)
            "decision", 16);

    static final Map<String, Integer> REVOKE_CONSENT = Map.of(
            "csrf", 64,
            "client_id", 512);

    private ParameterLimits() {
    }

    /** The name of the first parameter whose value (any of its values) exceeds its limit, if any. */
    static Optional<String> exceeded(Map<String, List<String>> params, Map<String, Integer> limits) {
        for (var limit : limits.entrySet()) {
            for (String value : params.getOrDefault(limit.getKey(), List.of())) {
                if (value.length() > limit.getValue()) {
                    return Optional.of(limit.getKey());
                }
            }
        }
        return Optional.empty();
    }

    /** The user-facing explanation for a parameter over its limit. */
    static String describe(String name, Map<String, Integer> limits) {
        return "The parameter " + name + " is too long (at most " + limits.get(name) + " characters).";
    }
}
