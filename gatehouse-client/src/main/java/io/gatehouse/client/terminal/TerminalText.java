package io.gatehouse.client.terminal;

/**
 * Server-supplied text made safe to print on a terminal (CWE-150): characters a terminal would act on instead of
 * showing are replaced by their visible escape ({@code \u001B}). Those are the C0 controls (ESC starts colour,
 * cursor, title and hyperlink sequences; a lone CR rewrites the line), DEL, the C1 controls (CSI and OSC in one
 * byte), the Unicode line and paragraph separators, and the bidirectional controls that reorder what is shown
 * (Trojan Source). Line feeds and tabs stay, so multi-line tool output still reads as lines; a CR stays only as
 * part of a CR LF line end.
 */
public final class TerminalText {

    private TerminalText() {
    }

    public static String neutralize(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean keep = isSafe(c) || c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            if (keep && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (keep) {
                out.append(c);
            } else {
                appendEscape(out, c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether a terminal shows {@code c} as it is (line feed and tab included; CR not, on its own). */
    static boolean isSafe(char c) {
        if (c == '\n' || c == '\t') {
            return true;
        }
        if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
            return false;
        }
        return switch (c) {
            case '\u2028', '\u2029', '\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
                 '\u2066', '\u2067', '\u2068', '\u2069' -> false;
            default -> true;
        };
    }

    static void appendEscape(StringBuilder out, char c) {
        out.append("\\u").append(String.format("%04X", (int) c));
    }
}
