package io.gatehouse.client.terminal;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * A writer that shows what {@link TerminalText} neutralizes as visible escapes, for everything a command prints
 * to a terminal. A CR is held back one character to let a CR LF line end through.
 */
public final class TerminalSafeWriter extends FilterWriter {

    private boolean pendingCr;

    public TerminalSafeWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        synchronized (lock) {
            StringBuilder sink = new StringBuilder(8);
            put((char) c, sink);
            out.write(sink.toString());
        }
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        synchronized (lock) {
            StringBuilder sink = new StringBuilder(len + 16);
            for (int i = off; i < off + len; i++) {
                put(chars[i], sink);
            }
            out.write(sink.toString());
        }
    }

    @Override
    public void write(String text, int off, int len) throws IOException {
        synchronized (lock) {
            StringBuilder sink = new StringBuilder(len + 16);
            for (int i = off; i < off + len; i++) {
                put(text.charAt(i), sink);
            }
            out.write(sink.toString());
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (lock) {
            releaseCr();
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            releaseCr();
            out.close();
        }
    }

    private void put(char c, StringBuilder sink) {
        if (pendingCr) {
            pendingCr = false;
            if (c == '\n') {
                sink.append("\r\n");
                return;
            }
            TerminalText.appendEscape(sink, '\r');
        }
        if (c == '\r') {
            pendingCr = true;
        } else if (TerminalText.isSafe(c)) {
            sink.append(c);
        } else {
            TerminalText.appendEscape(sink, c);
        }
    }

    private void releaseCr() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            StringBuilder sink = new StringBuilder(6);
            TerminalText.appendEscape(sink, '\r');
            out.write(sink.toString());
        }
    }
}
