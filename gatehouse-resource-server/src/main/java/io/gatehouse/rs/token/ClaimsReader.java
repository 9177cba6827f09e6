package io.gatehouse.rs.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns verified claims into an {@link AccessToken}. Roles are read from configurable claim paths
 * ({@code roles}, {@code realm_access.roles}, {@code resource_access.<client>.roles}, ...), so Keycloak and
 * other providers work by configuration alone.
 */
public final class ClaimsReader {

    public static final List<String> DEFAULT_ROLE_CLAIMS = List.of("roles", "realm_access.roles");

    private final List<String[]> roleClaims;

    public ClaimsReader(List<String> roleClaimPaths) {
        this.roleClaims = roleClaimPaths.stream().map(p -> p.split("\\.")).toList();
    }

    public AccessToken read(Map<String, Object> claims) {
        String issuer = string(claims.get("iss"));
        String subject = string(claims.get("sub"));
        String username = firstNonEmpty(string(claims.get("preferred_username")), string(claims.get("username")), subject);
        String clientId = firstNonEmpty(string(claims.get("client_id")), string(claims.get("azp")), "");
        return new AccessToken(issuer, subject, username, clientId, scopes(claims), roles(claims),
                strings(claims.get("aud")), instant(claims.get("exp")), string(claims.get("jti")));
    }

    private static Set<String> scopes(Map<String, Object> claims) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String name : List.of("scope", "scp", "scopes")) {
            Object value = claims.get(name);
            if (value instanceof String s) {
                scopes.addAll(Arrays.stream(s.split("\\s+")).filter(x -> !x.isEmpty()).toList());
            } else {
                scopes.addAll(strings(value));
            }
        }
        return scopes;
    }

    private Set<String> roles(Map<String, Object> claims) {
        Set<String> roles = new LinkedHashSet<>();
        for (String[] path : roleClaims) {
            Object node = claims;
            for (String part : path) {
                node = node instanceof Map<?, ?> map ? map.get(part) : null;
            }
            roles.addAll(strings(node));
        }
        return roles;
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
