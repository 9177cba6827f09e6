package io.gatehouse.server.internal.config;

import io.gatehouse.as.ScopeDescriptions;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What each scope lets an application do, in the operator's words, from the config file's {@code scopes:} section:
 * the embedded authorization server's consent page and account page show them beside the scopes being granted
 * ({@link ScopeDescriptions}: built-in descriptions of {@code mcp:read}, {@code mcp:tools}, {@code mcp:prompts} and
 * {@code mcp:resources}, which these replace). Plain text, shown HTML-escaped.
 *
 * <pre>
 * scopes:
 *   mcp:tools: Run the server's tools, which can change files in your projects
 *   mcp:tools:deploy: Deploy to production
 *   billing:read: See your invoices
 * </pre>
 */
public final class ScopesConfig {

    /** The longest description: a sentence, not a manual. */
    static final int MAX_DESCRIPTION_LENGTH = 300;
    /** The longest scope the database keeps a list of (gh_consents.scopes) would be longer; no scope needs more. */
    static final int MAX_SCOPE_LENGTH = 200;

    private ScopesConfig() {
    }

    /** The operator's descriptions by scope; empty when the section is missing. */
    public static Map<String, String> parse(JsonNode section) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        if (section == null || section.isMissingNode() || section.isNull()) {
            return descriptions;
        }
        if (!section.isObject()) {
            throw new ConfigException("The scopes section of the config file must be a mapping of scope: description "
                    + "(e.g. mcp:tools: Run the server's tools)");
        }
        for (var entry : section.properties()) {
            String scope = entry.getKey();
            if (scope.isEmpty() || scope.length() > MAX_SCOPE_LENGTH || !isScopeToken(scope)) {
                throw new ConfigException("scopes: '" + printable(scope) + "' is not a scope (at most " + MAX_SCOPE_LENGTH
                        + " printable ASCII characters without spaces, quotes or backslashes)");
            }
            JsonNode value = entry.getValue();
            String description = value.isString() ? value.asString().strip() : "";
            if (description.isEmpty()) {
                throw new ConfigException("scopes." + scope + " needs a description (text)");
            }
            if (description.length() > MAX_DESCRIPTION_LENGTH) {
                throw new ConfigException("scopes." + scope + " is longer than " + MAX_DESCRIPTION_LENGTH + " characters");
            }
            if (description.chars().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
                throw new ConfigException("scopes." + scope + " contains control or formatting characters");
            }
            descriptions.put(scope, description);
        }
        return descriptions;
    }

    /** RFC 6749 section 3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}. */
    private static boolean isScopeToken(String scope) {
        return scope.chars().allMatch(c -> c >= 0x21 && c <= 0x7E && c != '"' && c != '\\');
    }

    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x20-\\x7E]", "?");
        return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
    }
}
