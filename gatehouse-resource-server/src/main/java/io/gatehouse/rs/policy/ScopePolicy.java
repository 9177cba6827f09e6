package io.gatehouse.rs.policy;

import io.gatehouse.mcp.server.AccessPolicy;
import io.gatehouse.mcp.context.Caller;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Who may do what on the MCP endpoint, decided in one place before dispatch (STYLE rule 7).
 *
 * <p>Defaults follow the tutorial (seed inventory 4.1-4.2): {@code tools/call} needs {@code mcp:tools},
 * {@code prompts/get} needs {@code mcp:prompts}, resources need {@code mcp:read}, and the two list methods are
 * also open to {@code mcp:read}. A tool, prompt or resource may declare its own scopes (e.g.
 * {@code mcp:tools:echo}) and roles. Scopes form a hierarchy (RS-13): holding {@code mcp:tools} satisfies
 * {@code mcp:tools:echo}. Roles from the token can grant scopes through a configured mapping, where
 * {@code *} grants everything. Lifecycle methods ({@code initialize}, {@code ping}, notifications) need only
 * a valid token.
 */
public final class ScopePolicy implements AccessPolicy {

    public static final String READ = "mcp:read";
    public static final String TOOLS = "mcp:tools";
    public static final String PROMPTS = "mcp:prompts";
    /** The scopes a client needs for basic use; what 401 challenges and the metadata suggest (RS-05). */
    public static final List<String> BASE_SCOPES = List.of(READ, TOOLS, PROMPTS);

    /** What one tool, prompt or resource needs: all of {@code scopes} (empty = the method's default) and any of {@code roles}. */
    public record Rule(Set<String> scopes, Set<String> roles) {
        public static final Rule DEFAULT = new Rule(Set.of(), Set.of());

        public Rule {
            scopes = Set.copyOf(scopes);
            roles = Set.copyOf(roles);
        }
    }

    private final Map<String, Rule> tools;
    private final Map<String, Rule> prompts;
    private final Map<String, Rule> resources;
    private final Map<String, Set<String>> roleScopes;

    public ScopePolicy(Map<String, Rule> tools, Map<String, Rule> prompts, Map<String, Rule> resources,
                       Map<String, Set<String>> roleScopes) {
        this.tools = Map.copyOf(tools);
        this.prompts = Map.copyOf(prompts);
        this.resources = Map.copyOf(resources);
        this.roleScopes = Map.copyOf(roleScopes);
    }

    @Override
    public Optional<Denial> check(Caller caller, String method, ObjectNode params) {
        return switch (method) {
            case "tools/list" -> anyOf(caller, READ, TOOLS);
            case "tools/call" -> item(caller, tools, params.path("name").asString(""), TOOLS, "tool");
            case "prompts/list" -> anyOf(caller, READ, PROMPTS);
            case "prompts/get" -> item(caller, prompts, params.path("name").asString(""), PROMPTS, "prompt");
            case "resources/list", "resources/templates/list" -> anyOf(caller, READ);
            case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
                    item(caller, resources, params.path("uri").asString(""), READ, "resource");
            case "completion/complete" -> completion(caller, params.path("ref"));
            default -> Optional.empty();
        };
    }

    /**
     * RS-19: a list shows an item with its own rule (scopes or roles) only to callers who satisfy that rule;
     * items without one are shown to everyone allowed to list (the list method itself was checked already).
     */
    @Override
    public boolean canSee(Caller caller, Feature feature, String name) {
        Map<String, Rule> rules = switch (feature) {
            case TOOL -> tools;
            case PROMPT -> prompts;
            case RESOURCE -> resources;
        };
        Rule rule = rules.get(name);
        return rule == null || item(caller, rules, name, "", feature.name().toLowerCase(java.util.Locale.ROOT)).isEmpty();
    }

    private Optional<Denial> completion(Caller caller, JsonNode ref) {
        if ("ref/prompt".equals(ref.path("type").asString(""))) {
            return item(caller, prompts, ref.path("name").asString(""), PROMPTS, "prompt");
        }
        return anyOf(caller, READ);
    }

    private Optional<Denial> item(Caller caller, Map<String, Rule> rules, String name, String defaultScope, String kind) {
        Rule rule = rules.getOrDefault(name, Rule.DEFAULT);
        Set<String> held = effectiveScopes(caller);
        if (!rule.roles().isEmpty() && rule.roles().stream().noneMatch(caller.roles()::contains)) {
            return Optional.of(new Denial(Set.of(), "The " + kind + " " + name + " requires the role "
                    + String.join(" or ", rule.roles())));
        }
        Set<String> needed = rule.scopes().isEmpty()
                ? (defaultScope.isEmpty() ? Set.of() : Set.of(defaultScope)) : rule.scopes();
        if (needed.stream().allMatch(scope -> satisfies(held, scope))) {
            return Optional.empty();
        }
        return Optional.of(new Denial(needed, "The " + kind + " " + name + " requires the scope "
                + String.join(" ", needed)));
    }

    /** Allowed when any one of the alternatives is held; a denial names the first (the narrowest). */
    private Optional<Denial> anyOf(Caller caller, String... alternatives) {
        Set<String> held = effectiveScopes(caller);
        for (String scope : alternatives) {
            if (satisfies(held, scope)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Denial(Set.of(alternatives[0]), "This operation requires the scope " + alternatives[0]));
    }

    private Set<String> effectiveScopes(Caller caller) {
        if (roleScopes.isEmpty() || caller.roles().isEmpty()) {
            return caller.scopes();
        }
        Set<String> all = new HashSet<>(caller.scopes());
        for (String role : caller.roles()) {
            all.addAll(roleScopes.getOrDefault(role, Set.of()));
        }
        return all;
    }

    /** RS-13: a scope is satisfied by itself, by any ancestor in the {@code a:b:c} hierarchy, or by {@code *}. */
    static boolean satisfies(Set<String> held, String required) {
        if (held.contains(required) || held.contains("*")) {
            return true;
        }
        int colon = required.lastIndexOf(':');
        while (colon > 0) {
            if (held.contains(required.substring(0, colon))) {
                return true;
            }
            colon = required.lastIndexOf(':', colon - 1);
        }
        return false;
    }

    /** The scopes named anywhere in this policy, for {@code scopes_supported} beyond the base set. */
    public Set<String> declaredScopes() {
        Set<String> all = new LinkedHashSet<>(BASE_SCOPES);
        for (Map<String, Rule> rules : List.of(tools, prompts, resources)) {
            rules.values().forEach(r -> all.addAll(r.scopes()));
        }
        return all;
    }
}
