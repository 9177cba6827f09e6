package io.gatehouse.transport;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The value of a header that mirrors a body value ({@code Mcp-Name}, MCP 2026-07-28 SH §Value Encoding, H-13): plain
 * visible ASCII, or the Base64 sentinel {@code =?base64?…?=} around the UTF-8 bytes of a value that plain ASCII cannot
 * carry. Markers are case-sensitive.
 */
final class HeaderValue {

    private static final String PREFIX = "=?base64?";
    private static final String SUFFIX = "?=";

    private HeaderValue() {
    }

    /** The value the header stands for; empty when it is malformed (bad characters, bad Base64 or bad UTF-8). */
    static Optional<String> decode(String header) {
        if (header.startsWith(PREFIX) && header.endsWith(SUFFIX) && header.length() >= PREFIX.length() + SUFFIX.length()) {
            try {
                byte[] bytes = Base64.getDecoder().decode(header.substring(PREFIX.length(), header.length() - SUFFIX.length()));
                return Optional.of(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString());
            } catch (IllegalArgumentException | CharacterCodingException e) {
                return Optional.empty();
            }
        }
        return isPlain(header) ? Optional.of(header) : Optional.empty();
    }

    /** Visible ASCII with inner spaces only: what a client may send unencoded. */
    private static boolean isPlain(String value) {
        if (value.isEmpty() || value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
