package io.gatehouse.transport;

import java.util.Locale;

/**
 * What an {@code Accept} header allows; no header at all allows anything.
 *
 * @param json          {@code application/json} is acceptable
 * @param sse           {@code text/event-stream} is acceptable
 * @param explicitlySse {@code text/event-stream} is named (a GET stream needs it)
 */
record Accept(boolean json, boolean sse, boolean explicitlySse) {

    /** The media type of a {@code Content-Type} value or an {@code Accept} range: lower case, no parameters; "" for none. */
    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** What the {@code Accept} header allows. */
    static Accept parse(String header) {
        if (header == null || header.isBlank()) {
            return new Accept(true, true, false);
        }
        boolean json = false;
        boolean sse = false;
        boolean explicit = false;
        for (String range : header.split(",")) {
            String type = mediaType(range);
            switch (type) {
                case "*/*" -> {
                    json = true;
                    sse = true;
                }
                case "application/*", "application/json" -> json = true;
                case "text/*" -> sse = true;
                case "text/event-stream" -> {
                    sse = true;
                    explicit = true;
                }
                default -> {
                }
            }
        }
        return new Accept(json, sse, explicit);
    }
}
