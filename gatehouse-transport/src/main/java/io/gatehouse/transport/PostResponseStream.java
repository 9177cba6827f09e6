package io.gatehouse.transport;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.MessageSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to one POSTed request (T-07, T-08). It stays plain {@code application/json} unless the handler
 * sends something before its result (progress, a log message, a request to the client): then it becomes an
 * SSE stream carrying those messages first and the response last, after which the stream ends.
 *
 * <p>The two eras differ when the client goes away. On a legacy (2025) session a disconnect is not a cancellation
 * (T-08): the handler runs on. On a 2026-07-28 request ({@link #modern}) closing the stream <em>is</em> the
 * cancellation (H-9): the first failed write, or Jetty's report that the exchange failed, runs {@code onClose} once
 * (which cancels the request) and nothing more is written. A modern answer still running after the keep-alive
 * interval becomes an event stream and carries a keep-alive comment at each interval (H-7), which keeps an idle
 * {@code subscriptions/listen} stream open through proxies and finds a client that left while its handler was
 * silent.
 *
 * <p>Thread-safe: a handler may send from any thread.
 */
final class PostResponseStream implements MessageSink, KeepAlives.Beating {

    private final Response response;
    private final Callback callback;
    private final boolean clientAcceptsSse;
    private final Runnable onClose;
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private OutputStream sse;
    private boolean finished;
    private volatile boolean broken;
    private KeepAlives keepAlives;

    PostResponseStream(Response response, Callback callback, boolean clientAcceptsSse) {
        this(response, callback, clientAcceptsSse, () -> { });
    }

    private PostResponseStream(Response response, Callback callback, boolean clientAcceptsSse, Runnable onClose) {
        this.response = response;
        this.callback = callback;
        this.clientAcceptsSse = clientAcceptsSse;
        this.onClose = onClose;
    }

    /**
     * The answer to a 2026-07-28 request: {@code onClose} runs once when the client closes it (H-9), and
     * {@code keepAlives} sends keep-alive comments while the handler runs.
     */
    static PostResponseStream modern(Request request, Response response, Callback callback, boolean clientAcceptsSse,
                                     KeepAlives keepAlives, Runnable onClose) {
        PostResponseStream stream = new PostResponseStream(response, callback, clientAcceptsSse, onClose);
        request.addFailureListener(failure -> stream.closedByClient());
        if (clientAcceptsSse) {
            stream.keepAlives = keepAlives;
            keepAlives.add(stream, request.getComponents().getScheduler());
        }
        return stream;
    }

    @Override
    public synchronized boolean send(JsonRpcMessage message) {
        if (finished || broken || !clientAcceptsSse) {
            return false;
        }
        return write(Sse.event(message));
    }

    /** Ends the exchange with the request's response, in whichever form the stream has taken. */
    synchronized void finish(JsonRpcMessage result) {
        finish(result, 200);
    }

    /**
     * Ends the exchange with the request's response; {@code status} is the HTTP status while the answer is still plain
     * JSON (an event stream has sent its 200 already).
     */
    synchronized void finish(JsonRpcMessage result, int status) {
        end();
        if (sse == null) {
            HttpReplies.json(response, callback, status, JsonRpcCodec.write(result));
            return;
        }
        try (OutputStream out = sse) {
            if (!broken) {
                out.write(Sse.event(result));
            }
        } catch (IOException e) {
            closedByClient(); // too late to stop anything: the request is done
        }
        callback.succeeded();
    }

    /**
     * Ends the exchange with an error event if the answer has already become an event stream (its status and headers
     * are sent), and returns true; returns false, having sent nothing, while the answer is still plain JSON: the
     * caller then refuses the request with an HTTP status instead. Either way, nothing more is sent on this exchange.
     */
    synchronized boolean endWithError(JsonRpcMessage.ErrorResponse error) {
        end();
        if (sse == null) {
            return false;
        }
        try (OutputStream out = sse) {
            if (!broken) {
                out.write(Sse.event(error));
            }
        } catch (IOException e) {
            // the client went away; nothing more to do
        }
        callback.succeeded();
        return true;
    }

    /** Ends the exchange without a response: the client cancelled the request. */
    synchronized void abandon() {
        end();
        if (sse == null) {
            HttpReplies.empty(response, callback, 202);
            return;
        }
        try {
            sse.close();
        } catch (IOException e) {
            // already gone
        }
        callback.succeeded();
    }

    private void end() {
        finished = true;
        if (keepAlives != null) {
            keepAlives.remove(this);
        }
    }

    /** Writes one event or comment, turning the answer into an event stream first; false when the client is gone. */
    private boolean write(byte[] bytes) {
        try {
            if (sse == null) {
                Sse.startStream(response);
                sse = Content.Sink.asOutputStream(response);
            }
            sse.write(bytes);
            sse.flush();
            return true;
        } catch (IOException e) {
            closedByClient();
            return false;
        }
    }

    private void closedByClient() {
        broken = true;
        if (closeReported.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public synchronized boolean beat() {
        return !finished && !broken && write(Sse.KEEP_ALIVE);
    }
}
