package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One open {@code subscriptions/listen} stream (MCP 2026-07-28, S-1 … S-4): what its client asked for and was
 * granted, and the sink of the request's own response stream. Every message it sends carries the subscription id
 * (the listen request's JSON-RPC id) in {@code params._meta} (S-3), and only the kinds in its honoured filter are
 * ever sent. The thread serving the listen request waits in {@link #awaitEnd} until the server ends the
 * subscription, the stream breaks, or the caller's credential expires, and it alone writes to the stream: updates
 * are queued for it (at most {@link #MAX_PENDING}), so a client that stops reading holds up its own stream only,
 * never the code that reports an update to every listener; a listener whose queue is full is ended. Thread-safe.
 */
final class Listener {

    static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
    /** Updates waiting to be written to one stream; one more ends the subscription (its client is not reading). */
    static final int MAX_PENDING = 64;
    /** Wakes the waiting thread when the subscription ends. */
    private static final JsonRpcMessage END = new JsonRpcMessage.Notification("end", Json.object());

    private final JsonNode id;
    private final String ownerKey;
    private final SubscriptionFilter filter;
    private final MessageSink sink;
    private final long opened;
    private final BlockingQueue<JsonRpcMessage> pending = new ArrayBlockingQueue<>(MAX_PENDING);
    private volatile boolean ended;

    Listener(JsonNode id, String ownerKey, SubscriptionFilter filter, MessageSink sink, long opened) {
        this.id = id;
        this.ownerKey = ownerKey;
        this.filter = filter;
        this.sink = sink;
        this.opened = opened;
    }

    String ownerKey() {
        return ownerKey;
    }

    /** An increasing number (the registry's counter), so the oldest of a principal's listeners can be found. */
    long opened() {
        return opened;
    }

    /** Sends {@code notifications/subscriptions/acknowledged}, the first message of the stream (S-2). */
    boolean acknowledge() {
        ObjectNode params = Json.object();
        params.set("notifications", filter.toJson());
        return send("notifications/subscriptions/acknowledged", params);
    }

    /**
     * Queues {@code notifications/resources/updated} when the client subscribed to exactly this URI; never blocks. A
     * full queue ends the subscription: the client has stopped reading.
     */
    void resourceUpdated(String uri) {
        if (!ended && filter.resourceSubscriptions().contains(uri)) {
            ObjectNode params = Json.object();
            params.put("uri", uri);
            params.putObject("_meta").set(SUBSCRIPTION_ID, id);
            if (!pending.offer(new JsonRpcMessage.Notification("notifications/resources/updated", params))) {
                end();
            }
        }
    }

    /** Ends the subscription gracefully: {@link #awaitEnd} returns and the request answers with its final result. */
    void end() {
        ended = true;
        pending.offer(END); // when the queue is full, the waiting thread is busy and sees the flag next
    }

    /**
     * Writes the queued updates to the stream until {@link #end}, or until {@code expiresAt} (a stream must not
     * outlive the credential that opened it: the client listens again with a fresh token).
     *
     * @throws InterruptedException when the request is cancelled (the client closed the stream, H-9)
     */
    void awaitEnd(Instant now, Instant expiresAt) throws InterruptedException {
        boolean forever = expiresAt.equals(Instant.MAX);
        long deadline = forever ? 0 : System.nanoTime() + Duration.between(now, expiresAt).toNanos();
        while (!ended) {
            long left = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            JsonRpcMessage next = forever ? pending.take() : pending.poll(left, TimeUnit.NANOSECONDS);
            if (next != null && next != END && !ended && !sink.send(next)) {
                end(); // the stream is gone: nothing can reach this client any more
            }
        }
    }

    /** The final result of a subscription the server ended (SUB §Graceful Closure). */
    ObjectNode finalResult() {
        ObjectNode result = Json.object();
        result.put("resultType", "complete");
        result.putObject("_meta").set(SUBSCRIPTION_ID, id);
        return result;
    }

    private boolean send(String method, ObjectNode params) {
        params.putObject("_meta").set(SUBSCRIPTION_ID, id);
        if (sink.send(new JsonRpcMessage.Notification(method, params))) {
            return true;
        }
        end(); // the stream is gone: nothing can reach this client any more
        return false;
    }
}
