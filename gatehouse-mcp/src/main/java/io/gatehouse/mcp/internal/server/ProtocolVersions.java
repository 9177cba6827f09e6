package io.gatehouse.mcp.internal.server;

import java.util.List;

/** The MCP revisions Gatehouse speaks over the stateful wire, newest first, and how one is negotiated. */
public final class ProtocolVersions {

    public static final String LATEST = "2025-11-25";
    /** What a server assumes when a request carries no {@code MCP-Protocol-Version} header (T-13). */
    public static final String ASSUMED_WITHOUT_HEADER = "2025-03-26";
    public static final List<String> SUPPORTED = List.of("2025-11-25", "2025-06-18", "2025-03-26");

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
