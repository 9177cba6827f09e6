package io.gatehouse.as.federation;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which upstream claims (ID token, then userinfo) hold what Gatehouse shows and decides with: the username (display
 * only, never the identity: that is the issuer and {@code sub}), the e-mail address, and the roles or groups, a
 * dotted path such as {@code realm_access.roles} or {@code groups}.
 */
public record ClaimMapping(String username, String email, String roles) {

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_:\\-/]+(\\.[A-Za-z0-9_:\\-/]+)*");

    /** The mapping when nothing is configured. */
    public static final ClaimMapping DEFAULT = new ClaimMapping("preferred_username", "email", "roles");

    public ClaimMapping {
        for (String path : List.of(username, email, roles)) {
            if (path == null || !PATH.matcher(path).matches() || path.length() > 200) {
                throw new IllegalArgumentException("a claim must be a name or a dotted path (a.b.c), got '" + path + "'");
            }
        }
    }

    /** Whether {@code path} names a claim or a dotted path of them. */
    public static boolean isPath(String path) {
        return path != null && path.length() <= 200 && PATH.matcher(path).matches();
    }

    /** The string at {@code path} of {@code claims}, if it is one. */
    static Optional<String> text(Map<String, Object> claims, String path) {
        return at(claims, path).filter(String.class::isInstance).map(String.class::cast);
    }

    /** The strings at {@code path}: a list of strings, or one string of space-separated values. */
    static Set<String> strings(Map<String, Object> claims, String path) {
        Set<String> out = new LinkedHashSet<>();
        Optional<Object> value = at(claims, path);
        if (value.isPresent() && value.get() instanceof Collection<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).filter(s -> !s.isBlank()).forEach(out::add);
        } else if (value.isPresent() && value.get() instanceof String text) {
            for (String part : text.split(" ")) {
                if (!part.isBlank()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    private static Optional<Object> at(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            current = map.get(part);
        }
        return Optional.ofNullable(current);
    }
}
