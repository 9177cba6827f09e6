package io.gatehouse.rs.policy;

import io.gatehouse.mcp.internal.server.AccessPolicy;
import io.gatehouse.mcp.internal.server.AccessPolicy.Requirement;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.Scopes;
import io.gatehouse.mcp.resources.ResourceTemplate;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * also open to {@code mcp:read}. A tool, prompt, resource or resource template may declare its own scopes (e.g.
 * {@code mcp:tools:echo}) and roles, which the MCP engine hands to {@link #check} and {@link #canSee}; a rule
 * configured here for that item (the config file's {@code access:} section) replaces the declaration. So an item
 * needs: its configured rule if any, else its declaration, else the method's default scope.
 * Scopes form a hierarchy (RS-13): holding {@code mcp:tools} satisfies
 * {@code mcp:tools:echo}. Roles from the token can grant scopes through a configured mapping, where
 * {@code *} grants everything. Lifecycle methods ({@code initialize}, {@code ping}, notifications) and 2026-07-28's
 * {@code server/discover} need only a valid token.
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

        static Rule of(Requirement declared) {
            return declared.isEmpty() ? DEFAULT : new Rule(declared.scopes(), declared.roles());
        }

        boolean isEmpty() {
            return scopes.isEmpty() && roles.isEmpty();
        }
    }

    /** Configured rules, by tool name, prompt name, and resource URI or URI template. */
    private final Map<String, Rule> tools;
    private final Map<String, Rule> prompts;
    private final Map<String, Rule> resources;
    private final Map<String, Set<String>> roleScopes;
    /** The configured resource rules keyed by a URI template, most literal first, as matchers of the URIs they guard. */
    private final List<Map.Entry<ResourceTemplate, Rule>> templateRules;

    /**
     * @param tools      configured rules by tool name (the config file's {@code access.tools})
     * @param prompts    configured rules by prompt name
     * @param resources  configured rules by resource URI, or by URI template for a template's listing
     * @param roleScopes the scopes each role grants ({@code *} for all)
     */
    public ScopePolicy(Map<String, Rule> tools, Map<String, Rule> prompts, Map<String, Rule> resources,
                       Map<String, Set<String>> roleScopes) {
        this.tools = Map.copyOf(tools);
        this.prompts = Map.copyOf(prompts);
        this.resources = Map.copyOf(resources);
        this.roleScopes = Map.copyOf(roleScopes);
        this.templateRules = this.resources.entrySet().stream().filter(e -> e.getKey().contains("{"))
                .sorted(Comparator.comparingInt((Map.Entry<String, Rule> e) -> e.getKey().length()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(e -> Map.entry(ResourceTemplate.builder(e.getKey()).reader((uri, variables, context) -> List.of()),
                        e.getValue()))
                .toList();
    }

    @Override
    public Optional<Denial> check(Caller caller, String method, ObjectNode params, Requirement declared) {
        return switch (method) {
            case "tools/list" -> anyOf(caller, READ, TOOLS);
            case "tools/call" -> item(caller, rule(tools, params.path("name").asString(""), declared),
                    params.path("name").asString(""), TOOLS, "tool");
            case "prompts/list" -> anyOf(caller, READ, PROMPTS);
            case "prompts/get" -> item(caller, rule(prompts, params.path("name").asString(""), declared),
                    params.path("name").asString(""), PROMPTS, "prompt");
            case "resources/list", "resources/templates/list" -> anyOf(caller, READ);
            case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
                    item(caller, rule(resources, params.path("uri").asString(""), declared),
                            params.path("uri").asString(""), READ, "resource");
            case "completion/complete" -> completion(caller, params.path("ref"), declared);
            default -> Optional.empty();
        };
    }

    /**
     * RS-19: a list shows an item with its own rule (configured, else declared: scopes or roles) only to callers
     * who satisfy that rule; items without one are shown to everyone allowed to list (the list method itself was
     * checked already).
     */
    @Override
    public boolean canSee(Caller caller, Feature feature, String name, Requirement declared) {
        Map<String, Rule> rules = switch (feature) {
            case TOOL -> tools;
            case PROMPT -> prompts;
            case RESOURCE, RESOURCE_TEMPLATE -> resources;
        };
        Rule rule = rule(rules, name, declared);
        return rule.isEmpty() || item(caller, rule, name, "", feature.name().toLowerCase(Locale.ROOT)).isEmpty();
    }

    /**
     * The configured rule for this item if there is one, else the configured rule for the resource template its URI
     * matched, else (nothing declared) the configured rule of a URI template that matches it, else what it declares.
     */
    private Rule rule(Map<String, Rule> configured, String name, Requirement declared) {
        Rule rule = configured.get(name);
        if (rule == null && !declared.template().isEmpty()) {
            rule = configured.get(declared.template());
        }
        if (rule == null && declared.isEmpty() && declared.template().isEmpty() && configured == resources) {
            rule = configuredTemplateMatching(name).orElse(null);
        }
        return rule != null ? rule : Rule.of(declared);
    }

    /**
     * For a URI that no registered resource or template declares anything for (every URI a gateway relays: the
     * templates are the upstream's), the rule configured for a URI template that matches it, so that such a rule guards
     * reading the template's URIs through a gateway as it does for Gatehouse's own templates.
     */
    private Optional<Rule> configuredTemplateMatching(String uri) {
        return templateRules.stream().filter(e -> e.getKey().match(uri).isPresent()).map(Map.Entry::getValue).findFirst();
    }

    /**
     * For a prompt, what {@code prompts/get} needs; for a resource template, {@code mcp:read} unless the template
     * has a rule of its own (configured by its URI template, else declared).
     */
    private Optional<Denial> completion(Caller caller, JsonNode ref, Requirement declared) {
        if ("ref/prompt".equals(ref.path("type").asString(""))) {
            String name = ref.path("name").asString("");
            return item(caller, rule(prompts, name, declared), name, PROMPTS, "prompt");
        }
        String template = ref.path("uri").asString("");
        Rule rule = "ref/resource".equals(ref.path("type").asString("")) ? rule(resources, template, declared) : Rule.DEFAULT;
        return rule.isEmpty() ? anyOf(caller, READ) : item(caller, rule, template, READ, "resource template");
    }

    private Optional<Denial> item(Caller caller, Rule rule, String name, String defaultScope, String kind) {
        Set<String> held = effectiveScopes(caller);
        if (!rule.roles().isEmpty() && rule.roles().stream().noneMatch(caller.roles()::contains)) {
            return Optional.of(new Denial(Set.of(), "The " + kind + " " + name + " requires the role "
                    + String.join(" or ", rule.roles())));
        }
        Set<String> needed = rule.scopes().isEmpty()
                ? (defaultScope.isEmpty() ? Set.of() : Set.of(defaultScope)) : rule.scopes();
        if (needed.stream().allMatch(scope -> Scopes.satisfies(held, scope))) {
            return Optional.empty();
        }
        return Optional.of(new Denial(needed, "The " + kind + " " + name + " requires the scope "
                + String.join(" ", needed)));
    }

    /** Allowed when any one of the alternatives is held; a denial names the first (the narrowest). */
    private Optional<Denial> anyOf(Caller caller, String... alternatives) {
        Set<String> held = effectiveScopes(caller);
        for (String scope : alternatives) {
            if (Scopes.satisfies(held, scope)) {
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

    /** The scopes named anywhere in this policy's configured rules, beyond the base set. */
    public Set<String> declaredScopes() {
        Set<String> all = new LinkedHashSet<>(BASE_SCOPES);
        for (Map<String, Rule> rules : List.of(tools, prompts, resources)) {
            rules.values().forEach(r -> all.addAll(r.scopes()));
        }
        return all;
    }
}
