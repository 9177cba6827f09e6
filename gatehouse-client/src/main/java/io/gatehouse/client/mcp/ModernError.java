package io.gatehouse.client.mcp;

/**
 * How a dual-era client reads the answer to a modern request that did not succeed (MCP 2026-07-28,
 * transports/streamable-http.mdx, "Backward Compatibility"; V-5): a 400 whose body is a recognised modern error
 * ({@code -32020} header mismatch, {@code -32021} missing client capability, {@code -32022} unsupported version),
 * or a 404 with {@code -32601}, comes from a modern server; anything else (an empty body, a legacy code such as
 * {@code -32000}, another status) from a legacy one.
 */
enum ModernError {
    UNSUPPORTED_VERSION, METHOD_NOT_FOUND, OTHER_MODERN, NOT_MODERN;

    static final int HEADER_MISMATCH = -32020;
    static final int MISSING_CLIENT_CAPABILITY = -32021;
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;
    static final int METHOD_NOT_FOUND_CODE = -32601;

    static ModernError classify(Reply reply) {
        if (reply.error().isEmpty()) {
            return NOT_MODERN;
        }
        int code = reply.errorCode();
        if (reply.status() == 404) {
            return code == METHOD_NOT_FOUND_CODE ? METHOD_NOT_FOUND : NOT_MODERN;
        }
        if (reply.status() != 400) {
            return NOT_MODERN;
        }
        if (code == UNSUPPORTED_PROTOCOL_VERSION && reply.error().get().path("data").path("supported").isArray()) {
            return UNSUPPORTED_VERSION;
        }
        return code == HEADER_MISMATCH || code == MISSING_CLIENT_CAPABILITY ? OTHER_MODERN : NOT_MODERN;
    }
}
