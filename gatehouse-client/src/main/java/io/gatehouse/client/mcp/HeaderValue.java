package io.gatehouse.client.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An {@code Mcp-Name} or {@code Mcp-Param-*} header value (MCP 2026-07-28, transports/streamable-http.mdx,
 * "Value Encoding"): plain when every character is visible ASCII or an inner space, else the UTF-8 bytes in the
 * Base64 sentinel {@code =?base64?…?=}; a plain value that looks like the sentinel is encoded too.
 */
final class HeaderValue {

    private static final String PREFIX = "=?base64?";
    private static final String SUFFIX = "?=";

    private HeaderValue() {
    }

    static String encode(String value) {
        return isPlain(value) ? value
                : PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
    }

    static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        boolean padded = !value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ');
        boolean sentinel = value.startsWith(PREFIX) && value.endsWith(SUFFIX);
        return !padded && !sentinel;
    }
}
