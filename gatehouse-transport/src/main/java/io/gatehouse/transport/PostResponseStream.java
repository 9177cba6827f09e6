package io.gatehouse.transport;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.MessageSink;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to one POSTed request (T-07, T-08). It stays plain {@code application/json} unless the handler
 * sends something before its result (progress, a log message, a request to the client): then it becomes an
 * SSE stream carrying those messages first and the response last, after which the stream ends.
 * Thread-safe: a handler may send from any thread.
 */
final class PostResponseStream implements MessageSink {

    private final Response response;
    private final Callback callback;
    private final boolean clientAcceptsSse;
    private OutputStream sse;
    private boolean finished;
    private boolean broken;

    PostResponseStream(Response response, Callback callback, boolean clientAcceptsSse) {
        this.response = response;
        this.callback = callback;
        this.clientAcceptsSse = clientAcceptsSse;
    }

    @Override
    public synchronized boolean send(JsonRpcMessage message) {
        if (finished || broken || !clientAcceptsSse) {
            return false;
        }
        try {
            if (sse == null) {
                Sse.startStream(response);
                sse = Content.Sink.asOutputStream(response);
            }
            sse.write(Sse.event(message));
            sse.flush();
            return true;
        } catch (IOException e) {
            broken = true;
            return false;
        }
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
        finished = true;
        if (sse == null) {
            HttpReplies.json(response, callback, status, JsonRpcCodec.write(result));
            return;
        }
        try (OutputStream out = sse) {
            if (!broken) {
                out.write(Sse.event(result));
            }
        } catch (IOException e) {
            // the client went away; a disconnect is not a cancellation (T-08), nothing more to do
        }
        callback.succeeded();
    }

    /**
     * Ends the exchange with an error event if the answer has already become an event stream (its status and headers
     * are sent), and returns true; returns false, having sent nothing, while the answer is still plain JSON: the
     * caller then refuses the request with an HTTP status instead. Either way, nothing more is sent on this exchange.
     */
    synchronized boolean endWithError(JsonRpcMessage.ErrorResponse error) {
        finished = true;
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
        finished = true;
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
}
