package io.gatehouse.transport;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.MessageSink;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

/**
 * A session's GET stream (T-09): carries notifications and requests that belong to no POST. Messages are queued
 * and written by the one virtual thread that serves the GET, which also sends keep-alive comments and closes
 * the stream when it has been idle too long (the client then reconnects) or the session ends.
 */
final class StandaloneStream implements MessageSink, AutoCloseable {

    private static final JsonRpcMessage CLOSE = new JsonRpcMessage.Notification("gatehouse/close", null);
    private final BlockingQueue<JsonRpcMessage> queue = new LinkedBlockingQueue<>(1024);
    private volatile boolean closed;

    @Override
    public boolean send(JsonRpcMessage message) {
        return !closed && queue.offer(message);
    }

    @Override
    public void close() {
        closed = true;
        queue.offer(CLOSE);
    }

    /** Serves the stream until it is closed, idle past {@code idleTimeout}, or the client disconnects. */
    void serve(Response response, Duration keepAlive, Duration idleTimeout) throws IOException {
        Sse.startStream(response);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(Sse.KEEP_ALIVE);
            out.flush();
            long idleSince = System.nanoTime();
            while (!closed) {
                JsonRpcMessage message;
                try {
                    message = queue.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (message == CLOSE) {
                    return;
                }
                if (message == null) {
                    if (System.nanoTime() - idleSince > idleTimeout.toNanos()) {
                        return;
                    }
                    out.write(Sse.KEEP_ALIVE);
                } else {
                    out.write(Sse.event(message));
                    idleSince = System.nanoTime();
                }
                out.flush();
            }
        } finally {
            closed = true;
        }
    }
}
