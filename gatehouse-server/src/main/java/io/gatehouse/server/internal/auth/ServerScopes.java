package io.gatehouse.server.internal.auth;

import io.gatehouse.rs.policy.ScopePolicy;
import io.gatehouse.server.internal.config.AccessConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's scopes: the base ones ({@link ScopePolicy#BASE_SCOPES}), every scope its tools, prompts, resources and
 * resource templates declare, and every scope a rule of the config file's {@code access:} section names (the
 * scopes roles grant through {@code role-scopes} are not requirements and are not included). They are what the
 * protected resource metadata and the embedded authorization server's metadata list in {@code scopes_supported},
 * and what the embedded authorization server can grant. Never {@code *}, and never a string that is not an RFC 6749
 * scope token (such a declaration is reported and left out: no token can carry it).
 */
public final class ServerScopes {

    private static final Logger LOG = LoggerFactory.getLogger(ServerScopes.class);

    private ServerScopes() {
    }

    /**
     * The base scopes first, then the others in alphabetical order (metadata that does not change from start to start).
     *
     * @param declared what the server's features declare ({@code McpServer.declaredScopes()})
     * @param access   the config file's {@code access:} section
     */
    public static List<String> of(Collection<String> declared, AccessConfig access) {
        Set<String> named = new LinkedHashSet<>(declared);
        named.addAll(access.policy().declaredScopes());
        Set<String> others = new TreeSet<>();
        for (String scope : named) {
            if (ScopePolicy.BASE_SCOPES.contains(scope)) {
                continue;
            }
            if (scope.equals("*") || !isScopeToken(scope)) {
                LOG.warn("The scope '{}' is required by a tool, prompt, resource or access rule, but it is not a scope a token "
                        + "can carry; it is not advertised, and what requires it stays refused", printable(scope));
                continue;
            }
            others.add(scope);
        }
        List<String> all = new ArrayList<>(ScopePolicy.BASE_SCOPES);
        all.addAll(others);
        return List.copyOf(all);
    }

    /** RFC 6749 section 3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}. */
    static boolean isScopeToken(String scope) {
        if (scope.isEmpty()) {
            return false;
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String scope) {
        String shown = scope.replaceAll("[^\\x20-\\x7E]", "?");
        return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
    }
}
