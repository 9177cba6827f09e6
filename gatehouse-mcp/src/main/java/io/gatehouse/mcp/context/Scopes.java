package io.gatehouse.mcp.context;

import java.util.Set;

/**
 * The one rule for whether held scopes satisfy a required one (RS-13): a scope is satisfied by itself, by any
 * ancestor in the {@code a:b:c} hierarchy ({@code mcp:tools} satisfies {@code mcp:tools:deploy}), or by {@code *}.
 * A sibling or a descendant never does ({@code mcp:tools:echo} does not satisfy {@code mcp:tools}).
 */
public final class Scopes {

    private Scopes() {
    }

    /** Whether {@code held} satisfies {@code required}. */
    public static boolean satisfies(Set<String> held, String required) {
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
}
