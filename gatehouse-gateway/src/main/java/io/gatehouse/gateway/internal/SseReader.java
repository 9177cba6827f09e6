package io.gatehouse.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads Server-Sent Events (the WHATWG event stream format) from an upstream's response: returns each event's
 * {@code data} (its data lines joined with {@code \n}) and remembers the last event {@code id}. Comments, empty data
 * (the SDK's priming events) and other fields are skipped. An event whose data exceeds {@code max} bytes is
 * reported as {@link BoundedLineReader#OVERSIZED} without being held in memory. Not thread-safe.
 */
final class SseReader {

    private final BoundedLineReader lines;
    private final int max;
    private String lastEventId;

    SseReader(InputStream in, int max) {
        this.lines = new BoundedLineReader(in, max + 64);
        this.max = max;
    }

    /** The next event's data, {@link BoundedLineReader#OVERSIZED}, or null at the end of the stream. */
    byte[] next() throws IOException {
        StringBuilder data = null;
        boolean oversized = false;
        while (true) {
            byte[] line = lines.readLine();
            if (line == null) {
                return null;
            }
            if (line == BoundedLineReader.OVERSIZED) {
                oversized = true;
                continue;
            }
            if (line.length == 0) {
                if (oversized) {
                    return BoundedLineReader.OVERSIZED;
                }
                if (data != null && !data.isEmpty()) {
                    return data.toString().getBytes(StandardCharsets.UTF_8);
                }
                data = null;
                continue;
            }
            String text = new String(line, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data") && !oversized) {
                if (data == null) {
                    data = new StringBuilder();
                } else {
                    data.append('\n');
                }
                data.append(value);
                if (data.length() > max) {
                    oversized = true;
                    data = null;
                }
            } else if (field.equals("id") && value.indexOf('\0') < 0) {
                lastEventId = value;
            }
        }
    }

    String lastEventId() {
        return lastEventId;
    }
}
