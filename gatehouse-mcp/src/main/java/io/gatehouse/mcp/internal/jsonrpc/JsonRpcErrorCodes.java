package io.gatehouse.mcp.internal.jsonrpc;

/** The JSON-RPC 2.0 error codes and the MCP-specific ones, in one place. */
public final class JsonRpcErrorCodes {
    /** Invalid JSON was received. */
    public static final int PARSE_ERROR = -32700;
    /** The JSON sent is not a valid request object. */
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    /** The server's own fault; never used for a client's mistake. */
    public static final int INTERNAL_ERROR = -32603;
    /** Transport-level refusal (bad Origin, missing session, ...), used in bodies without an id. */
    public static final int SERVER_ERROR = -32000;
    /** MCP 2025-11-25: resource not found. */
    public static final int RESOURCE_NOT_FOUND = -32002;
    /** MCP 2026-07-28: an HTTP header is missing, malformed, or does not match the body (400). */
    public static final int HEADER_MISMATCH = -32020;
    /** MCP 2026-07-28: the request needs a client capability it did not declare (400, {@code data.requiredCapabilities}). */
    public static final int MISSING_CLIENT_CAPABILITY = -32021;
    /** MCP 2026-07-28: the requested protocol version is not served (400, {@code data.supported}, {@code data.requested}). */
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private JsonRpcErrorCodes() {
    }
}
