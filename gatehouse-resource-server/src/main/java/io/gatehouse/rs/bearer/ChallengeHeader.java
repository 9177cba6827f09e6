package io.gatehouse.rs.bearer;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Renders a {@link BearerChallenge} as a {@code WWW-Authenticate} value. Every parameter is a quoted-string
 * with {@code "} and {@code \} escaped and control characters dropped (RFC 9110 section 5.6.4), so no value
 * can break out of its quotes.
 *
 * @param resourceMetadataUrl the RFC 9728 metadata URL clients discover the authorization server from
 * @param defaultScopes       the scopes suggested on a 401 (RS-04): the minimal set, never {@code offline_access}
 */
public record ChallengeHeader(String resourceMetadataUrl, Collection<String> defaultScopes) {

    /** The header value, or empty when the challenge carries none (503). */
    public Optional<String> render(BearerChallenge challenge) {
        StringBuilder header = new StringBuilder("Bearer ");
        switch (challenge) {
            case BearerChallenge.MissingToken m -> {
                param(header, "resource_metadata", resourceMetadataUrl);
                scope(header, defaultScopes);
            }
            case BearerChallenge.InvalidRequest r -> {
                param(header, "error", "invalid_request");
                param(header, "error_description", r.description());
                param(header, "resource_metadata", resourceMetadataUrl);
            }
            case BearerChallenge.InvalidToken t -> {
                param(header, "error", "invalid_token");
                param(header, "error_description", t.description());
                param(header, "resource_metadata", resourceMetadataUrl);
                scope(header, defaultScopes);
            }
            case BearerChallenge.InsufficientScope s -> {
                param(header, "error", "insufficient_scope");
                param(header, "error_description", s.description());
                scope(header, s.scopes());
                param(header, "resource_metadata", resourceMetadataUrl);
            }
            case BearerChallenge.Unavailable u -> {
                return Optional.empty();
            }
        }
        return Optional.of(header.toString());
    }

    private static void scope(StringBuilder header, Collection<String> scopes) {
        if (!scopes.isEmpty()) {
            param(header, "scope", String.join(" ", new TreeSet<>(scopes)));
        }
    }

    private static void param(StringBuilder header, String name, String value) {
        if (header.length() > "Bearer ".length()) {
            header.append(", ");
        }
        header.append(name).append("=\"").append(quote(value)).append('"');
    }

    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c != 0x7F) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
