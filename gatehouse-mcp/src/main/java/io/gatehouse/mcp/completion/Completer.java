package io.gatehouse.mcp.completion;

import java.util.List;
import java.util.Map;

/**
 * Suggests values for a prompt argument or a resource-template variable ({@code completion/complete}).
 */
@FunctionalInterface
public interface Completer {

    /**
     * @param prefix    what the user has typed so far
     * @param arguments the other arguments already chosen, by name
     * @return suggestions, best first; the server sends at most 100
     */
    List<String> complete(String prefix, Map<String, String> arguments);

    /** Completes from a fixed list of values by prefix. */
    static Completer of(List<String> values) {
        List<String> copy = List.copyOf(values);
        return (prefix, arguments) -> copy.stream().filter(v -> v.startsWith(prefix)).toList();
    }
}
