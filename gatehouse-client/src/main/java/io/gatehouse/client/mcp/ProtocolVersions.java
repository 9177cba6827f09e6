package io.gatehouse.client.mcp;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The MCP revisions this client speaks, newest first: 2026-07-28 ("modern": per-request {@code _meta}, no session)
 * and the "legacy" ones opened with {@code initialize} (MCP 2026-07-28, basic/versioning.mdx, "Terminology").
 */
public final class ProtocolVersions {

    /** The modern revision. */
    public static final String MODERN = "2026-07-28";
    /** The newest legacy revision, the fallback for a server that does not speak the modern one. */
    public static final String LEGACY = "2025-11-25";
    /** Every revision this client speaks, newest first. */
    public static final List<String> SUPPORTED = List.of(MODERN, LEGACY, "2025-06-18", "2025-03-26");

    private ProtocolVersions() {
    }

    public static boolean isModern(String version) {
        return MODERN.equals(version);
    }

    /** The newest of {@code acceptable} that the server lists in {@code offered} (a JSON array of strings). */
    static Optional<String> choose(JsonNode offered, Collection<String> acceptable) {
        if (offered == null || !offered.isArray()) {
            return Optional.empty();
        }
        for (String version : SUPPORTED) {
            if (acceptable.contains(version)) {
                for (JsonNode listed : offered) {
                    if (version.equals(listed.asString(""))) {
                        return Optional.of(version);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
