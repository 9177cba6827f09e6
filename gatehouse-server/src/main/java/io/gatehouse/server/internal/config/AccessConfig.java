package io.gatehouse.server.internal.config;

import io.gatehouse.rs.policy.ScopePolicy;
import io.gatehouse.rs.policy.ScopePolicy.Rule;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The config file's {@code access:} section: per-tool, per-prompt and per-resource scopes and roles, and which
 * scopes each role grants. Example:
 *
 * <pre>
 * access:
 *   role-scopes:
 *     admin: ["*"]                 # admin may do everything
 *   tools:
 *     echo: { scopes: [mcp:tools:echo] }
 *     server_info: { roles: [admin] }
 *   prompts:
 *     greeting: { scopes: [mcp:prompts:greeting] }
 *   resources: {}
 * </pre>
 */
public record AccessConfig(Map<String, Rule> tools, Map<String, Rule> prompts, Map<String, Rule> resources,
                           Map<String, Set<String>> roleScopes) {

    public static final AccessConfig EMPTY = new AccessConfig(Map.of(), Map.of(), Map.of(), Map.of());

    public static AccessConfig parse(JsonNode access) {
        if (access == null || access.isMissingNode() || access.isNull()) {
            return EMPTY;
        }
        if (!access.isObject()) {
            throw new ConfigException("The access section of the config file must be a mapping");
        }
        for (String key : access.propertyNames()) {
            if (!Set.of("tools", "prompts", "resources", "role-scopes").contains(key)) {
                throw new ConfigException("Unknown key access." + key + " in the config file; known: tools, prompts, "
                        + "resources, role-scopes");
            }
        }
        Map<String, Set<String>> roleScopes = new HashMap<>();
        access.path("role-scopes").properties().forEach(e -> roleScopes.put(e.getKey(), strings(e.getValue(), "access.role-scopes." + e.getKey())));
        return new AccessConfig(rules(access.path("tools"), "tools"), rules(access.path("prompts"), "prompts"),
                rules(access.path("resources"), "resources"), roleScopes);
    }

    private static Map<String, Rule> rules(JsonNode section, String name) {
        Map<String, Rule> rules = new HashMap<>();
        for (var entry : section.properties()) {
            String where = "access." + name + "." + entry.getKey();
            JsonNode rule = entry.getValue();
            for (String key : rule.propertyNames()) {
                if (!key.equals("scopes") && !key.equals("roles")) {
                    throw new ConfigException("Unknown key " + where + "." + key + "; a rule has scopes and roles");
                }
            }
            rules.put(entry.getKey(), new Rule(strings(rule.path("scopes"), where + ".scopes"),
                    strings(rule.path("roles"), where + ".roles")));
        }
        return rules;
    }

    private static Set<String> strings(JsonNode node, String where) {
        Set<String> out = new LinkedHashSet<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ConfigException(where + " in the config file must be a list, e.g. [mcp:read, mcp:tools]");
        }
        node.valueStream().forEach(v -> out.add(v.asString("")));
        return out;
    }

    /**
     * The policy of this configuration. What tools, prompts and resources declare in code reaches the policy from
     * the MCP engine, request by request; a rule configured here replaces that declaration.
     */
    public ScopePolicy policy() {
        return new ScopePolicy(tools, prompts, resources, roleScopes);
    }
}
