package io.gatehouse.mcp.internal.log;

/**
 * Makes a value safe to put inside one log line: every character that could end the line, start a forged one or
 * steer a terminal is written as a visible escape instead. That is CR, LF and the other C0 controls (tab
 * included), DEL, the C1 controls (NEL, CSI, ...), the Unicode line and paragraph separators (U+2028, U+2029) and
 * the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that can reorder what a reader sees.
 * CR becomes {@code \r}, LF {@code \n}, tab {@code \t}, anything else {@code \}{@code uXXXX}.
 */
public final class LogText {

    private LogText() {
    }

    /** {@code value} with every unsafe character escaped; the same instance when there is none (the usual case). */
    public static String neutralise(String value) {
        if (value == null) {
            return null;
        }
        int first = firstUnsafe(value);
        if (first < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isUnsafe(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append("\\u").append(String.format("%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (isUnsafe(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isUnsafe(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        return c >= 0x2028 && (c <= 0x202e || (c >= 0x2066 && c <= 0x2069));
    }
}
