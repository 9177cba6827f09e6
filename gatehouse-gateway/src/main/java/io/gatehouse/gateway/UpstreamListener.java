package io.gatehouse.gateway;

import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the relay does with what an upstream session sends on its own: notifications (progress, log messages,
 * list-changed, resource-updated) and server→client requests (sampling, elicitation, roots). Callbacks of one
 * session come one at a time, in the order the upstream sent them, on a Gatehouse thread that reads the upstream:
 * return quickly (hand slow work to another thread). {@code ping} is answered by Gatehouse itself.
 */
public interface UpstreamListener {

    /** A notification from the upstream, e.g. {@code notifications/progress}. */
    default void onNotification(String method, ObjectNode params) {
    }

    /**
     * A request from the upstream, e.g. {@code sampling/createMessage}. Complete the future with the result to send
     * back, or exceptionally with an {@link UpstreamException} of kind {@link UpstreamException.Kind#ERROR_RESPONSE}
     * to send that error (anything else is sent as an internal error, without details). When the upstream cancels
     * the request ({@code notifications/cancelled}), the future is cancelled and nothing is sent.
     */
    default CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
        return CompletableFuture.failedFuture(UpstreamException.errorResponse(-32601, "Method not found: " + method, null));
    }

    /**
     * The session ended without being closed by Gatehouse (the stdio child exited, the HTTP upstream forgot the
     * session). Called at most once, only on the session's own listener; the relay should end the client session.
     *
     * @param reason a log-safe explanation, e.g. {@code upstream 'files' exited with code 1}
     */
    default void onEnded(String reason) {
    }
}
