package io.gatehouse.rs.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns verified claims into an {@link AccessToken}. Scopes and roles are each read from exactly one claim, the one
 * the issuer defines for them ({@code scope} and {@code roles} for Gatehouse's own tokens, {@code scope} and
 * {@code realm_access.roles} for Keycloak): never a union of several claims, because a claim the issuer does not
 * define is one that anyone able to shape tokens (a self-registered client's protocol mapper, a user-editable
 * attribute) may fill. A path with dots names nested objects ({@code resource_access.my-client.roles}); a claim
 * name that is a URL ({@code https://example.com/roles}) is read as one top-level name.
 */
public final class ClaimsReader {

    /** RFC 8693 / RFC 9068 {@code scope}: where Gatehouse, Keycloak and most providers put the granted scopes. */
    public static final String SCOPE = "scope";
    /** Where Gatehouse's embedded authorization server and {@code gatehouse token mint} put roles. */
    public static final String ROLES = "roles";
    /** Where Keycloak puts realm roles. */
    public static final String KEYCLOAK_ROLES = "realm_access.roles";

    /** 9999-12-31T23:59:59Z: no token time claim lies beyond it. */
    private static final long LAST_EPOCH_SECOND = 253_402_300_799L;

    private final String scopeClaim;
    private final String rolesClaim;
    private final List<String> scopePath;
    private final List<String> rolesPath;

    /**
     * @param scopeClaim the one claim holding scopes: a space-separated string (RFC 9068) or an array of strings
     * @param rolesClaim the one claim (path) holding roles: an array of strings, or one string
     */
    public ClaimsReader(String scopeClaim, String rolesClaim) {
        this.scopeClaim = requireClaim(scopeClaim, "scope claim");
        this.rolesClaim = requireClaim(rolesClaim, "roles claim");
        this.scopePath = path(scopeClaim);
        this.rolesPath = path(rolesClaim);
    }

    /** Gatehouse's own tokens: {@code scope} and {@code roles}. */
    public static ClaimsReader gatehouse() {
        return new ClaimsReader(SCOPE, ROLES);
    }

    public String scopeClaim() {
        return scopeClaim;
    }

    public String rolesClaim() {
        return rolesClaim;
    }

    /**
     * As {@link #read}, for a token a verifier has accepted: one without a subject ({@code sub} missing, not a string,
     * or blank) is refused, because callers are told apart by issuer and subject (their sessions among them), and
     * such tokens would all be one caller.
     *
     * @throws InvalidTokenException without a subject, or with an {@code exp} no instant can hold
     */
    AccessToken readVerified(Map<String, Object> claims) {
        AccessToken token = read(claims);
        if (token.subject().isBlank()) {
            throw new InvalidTokenException("no subject (sub missing or empty)");
        }
        return token;
    }

    /** @throws InvalidTokenException with an {@code exp} no instant can hold */
    public AccessToken read(Map<String, Object> claims) {
        String issuer = string(claims.get("iss"));
        String subject = string(claims.get("sub"));
        String username = firstNonEmpty(string(claims.get("preferred_username")), string(claims.get("username")), subject);
        String clientId = firstNonEmpty(string(claims.get("client_id")), string(claims.get("azp")), "");
        return new AccessToken(issuer, subject, username, clientId, scopes(claims), roles(claims),
                strings(claims.get("aud")), instant(claims.get("exp")), string(claims.get("jti")));
    }

    private Set<String> scopes(Map<String, Object> claims) {
        Object value = at(claims, scopePath);
        Set<String> scopes = new LinkedHashSet<>();
        if (value instanceof String s) {
            scopes.addAll(Arrays.stream(s.split("\\s+")).filter(x -> !x.isEmpty()).toList());
        } else {
            scopes.addAll(strings(value));
        }
        return scopes;
    }

    private Set<String> roles(Map<String, Object> claims) {
        return new LinkedHashSet<>(strings(at(claims, rolesPath)));
    }

    private static Object at(Map<String, Object> claims, List<String> path) {
        Object node = claims;
        for (String part : path) {
            node = node instanceof Map<?, ?> map ? map.get(part) : null;
        }
        return node;
    }

    private static List<String> path(String claim) {
        return claim.contains("://") ? List.of(claim) : List.of(claim.split("\\.", -1));
    }

    private static String requireClaim(String claim, String what) {
        Objects.requireNonNull(claim, what);
        if (claim.isBlank() || claim.contains(",") || claim.startsWith(".") || claim.endsWith(".") || claim.contains("..")) {
            throw new IllegalArgumentException("the " + what + " must be one claim name or dotted path, got '" + claim + "'");
        }
        return claim;
    }

    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s && !s.isEmpty()) {
            out.add(s);
        } else if (value instanceof Collection<?> c) {
            c.stream().filter(String.class::isInstance).map(String.class::cast).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static String string(Object value) {
        return value instanceof String s ? s : "";
    }

    private static Instant instant(Object value) {
        if (value instanceof Date d) {
            return d.toInstant();
        }
        if (value instanceof Number n) {
            // a number beyond any date (or beyond a long) is no expiry time: refused as invalid, never a 500
            double seconds = n.doubleValue();
            if (!(Math.abs(seconds) <= LAST_EPOCH_SECOND)) {
                throw new InvalidTokenException("time claim out of range");
            }
            return Instant.ofEpochSecond(n.longValue());
        }
        return Instant.EPOCH;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
