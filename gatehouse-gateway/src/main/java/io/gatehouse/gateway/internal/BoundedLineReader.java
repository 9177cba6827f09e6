package io.gatehouse.gateway.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads {@code \n}-terminated lines of at most {@code max} bytes (a trailing {@code \r} is dropped). A longer line
 * is not buffered: its bytes past the limit are skipped and {@link #readLine()} reports it as {@link #OVERSIZED},
 * so a hostile or broken peer cannot make Gatehouse hold an unbounded line in memory. Not thread-safe.
 */
final class BoundedLineReader {

    /** Returned for a line longer than the limit (compare by identity). */
    static final byte[] OVERSIZED = new byte[0];

    private final InputStream in;
    private final int max;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    BoundedLineReader(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The next line without its terminator, {@link #OVERSIZED}, or null at the end of the stream. */
    byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean oversized = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? finish(line, oversized) : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            if (!oversized) {
                if (line.size() + length > max + 1) {
                    oversized = true;
                    line.reset();
                } else {
                    line.write(buffer, start, length);
                }
            }
            if (position < limit) {
                position++;
                return finish(line, oversized);
            }
        }
    }

    private byte[] finish(ByteArrayOutputStream line, boolean oversized) {
        if (oversized) {
            return OVERSIZED;
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        if (length > max) {
            return OVERSIZED;
        }
        return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
    }
}
