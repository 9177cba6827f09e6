package io.gatehouse.mcp.internal.server;

import java.util.List;

/**
 * The MCP revisions Gatehouse speaks, newest first: {@link #SUPPORTED} are the legacy ones, negotiated at
 * {@code initialize}; {@link #MODERN} is served per request, with no handshake (2026-07-28, V-1).
 */
public final class ProtocolVersions {

    public static final String LATEST = "2025-11-25";
    /** What a server assumes when a request carries no {@code MCP-Protocol-Version} header (T-13). */
    public static final String ASSUMED_WITHOUT_HEADER = "2025-03-26";
    public static final List<String> SUPPORTED = List.of("2025-11-25", "2025-06-18", "2025-03-26");
    /** The stateless revision, served to requests that carry its per-request {@code _meta}. */
    public static final String MODERN = "2026-07-28";
    /**
     * Every revision served, of both eras: {@code server/discover}'s {@code supportedVersions} and the
     * {@code data.supported} of {@code -32022}, which must agree (V-2, D-3).
     */
    public static final List<String> ALL = List.of(MODERN, "2025-11-25", "2025-06-18", "2025-03-26");

    private ProtocolVersions() {
    }

    public static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }

    /** The client's requested revision when supported, else the latest one (the client then decides). */
    public static String negotiate(String requested) {
        return isSupported(requested) ? requested : LATEST;
    }
}
