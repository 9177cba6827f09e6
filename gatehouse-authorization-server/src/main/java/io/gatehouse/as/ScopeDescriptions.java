package io.gatehouse.as;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a scope lets an application do, in words for the person asked to allow it: the consent and account pages
 * show these beside the scope strings. The operator's descriptions (the config file's {@code scopes:} section)
 * replace the built-in ones. A narrower scope without a description of its own ({@code mcp:tools:echo}) is
 * described by its kind ("Call the tool “echo”"). The texts are shown HTML-escaped, like every other value.
 */
public final class ScopeDescriptions {

    /** The built-in descriptions of the base scopes. */
    public static final Map<String, String> DEFAULTS = Map.of(
            "mcp:read", "See the server's tools, prompts and resources, and read its resources",
            "mcp:tools", "Call the server's tools, which may act on your behalf",
            "mcp:prompts", "Use the server's prompts",
            "mcp:resources", "Read the server's resources");

    private static final Map<String, String> KINDS = Map.of(
            "mcp:tools:", "Call the tool “%s”",
            "mcp:prompts:", "Use the prompt “%s”",
            "mcp:read:", "Read “%s”",
            "mcp:resources:", "Read the resource “%s”");

    private final Map<String, String> descriptions;

    private ScopeDescriptions(Map<String, String> descriptions) {
        this.descriptions = Map.copyOf(descriptions);
    }

    /** The built-in descriptions, each replaced by the operator's where {@code configured} has one. */
    public static ScopeDescriptions of(Map<String, String> configured) {
        Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
        all.putAll(configured);
        return new ScopeDescriptions(all);
    }

    /** The built-in descriptions only. */
    public static ScopeDescriptions defaults() {
        return of(Map.of());
    }

    /** The description of {@code scope}; empty when neither the operator nor the built-ins describe it. */
    public Optional<String> describe(String scope) {
        String own = descriptions.get(scope);
        if (own != null) {
            return Optional.of(own);
        }
        for (var kind : KINDS.entrySet()) {
            if (scope.startsWith(kind.getKey()) && scope.length() > kind.getKey().length()) {
                return Optional.of(kind.getValue().formatted(scope.substring(kind.getKey().length())));
            }
        }
        return Optional.empty();
    }

    /** Every description given explicitly (built-in or configured), by scope. */
    public Map<String, String> asMap() {
        return descriptions;
    }
}
