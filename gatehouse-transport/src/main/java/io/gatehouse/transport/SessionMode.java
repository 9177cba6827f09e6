package io.gatehouse.transport;

/** Whether the server keeps sessions between requests (T-12) or treats each POST on its own. */
public enum SessionMode {
    /** {@code Mcp-Session-Id} minted at initialize, GET streams, DELETE; the default. */
    STATEFUL,
    /** No session ids: every POST stands alone; GET and DELETE answer 405. */
    STATELESS
}
