package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One open {@code subscriptions/listen} stream (MCP 2026-07-28, S-1 … S-4): what its client asked for and was
 * granted, and the sink of the request's own response stream. Every message it sends carries the subscription id
 * (the listen request's JSON-RPC id) in {@code params._meta} (S-3), and only the kinds in its honoured filter are
 * ever sent. The thread serving the listen request waits in {@link #awaitEnd} until the server ends the
 * subscription, the stream breaks, or the caller's credential expires. Thread-safe.
 */
final class Listener {

    static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    private final JsonNode id;
    private final String ownerKey;
    private final SubscriptionFilter filter;
    private final MessageSink sink;
    private final long opened;
    private final CountDownLatch ended = new CountDownLatch(1);

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

    /** {@code notifications/resources/updated}, when the client subscribed to exactly this URI. */
    void resourceUpdated(String uri) {
        if (filter.resourceSubscriptions().contains(uri)) {
            ObjectNode params = Json.object();
            params.put("uri", uri);
            send("notifications/resources/updated", params);
        }
    }

    /** Ends the subscription gracefully: {@link #awaitEnd} returns and the request answers with its final result. */
    void end() {
        ended.countDown();
    }

    /**
     * Waits until {@link #end}, or until {@code expiresAt} (a stream must not outlive the credential that opened it:
     * the client listens again with a fresh token).
     *
     * @throws InterruptedException when the request is cancelled (the client closed the stream, H-9)
     */
    void awaitEnd(Instant now, Instant expiresAt) throws InterruptedException {
        if (expiresAt.equals(Instant.MAX)) {
            ended.await();
        } else if (now.isBefore(expiresAt)) {
            ended.await(Duration.between(now, expiresAt).toMillis(), TimeUnit.MILLISECONDS);
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
