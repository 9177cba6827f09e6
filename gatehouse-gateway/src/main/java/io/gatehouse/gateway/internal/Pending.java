package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.UpstreamCall;
import io.gatehouse.gateway.UpstreamException;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.mcp.internal.log.LogText;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request sent to the upstream and not yet answered: its future, the listener for what the upstream sends about
 * it, and its deadline, which each progress notification moves on by the timeout, up to a cap.
 */
final class Pending implements UpstreamCall {

    final long id;
    final String method;
    final ObjectNode params;
    final UpstreamListener related;
    final JsonNode progressToken;
    final CompletableFuture<JsonNode> future = new CompletableFuture<>();
    private final long timeoutNanos;
    private final long lastDeadline;
    private final BiConsumer<Pending, String> onCancel;
    private volatile long deadline;
    /** Aborts the transport's work for this request (an HTTP response stream), once it has some. */
    volatile Runnable abort = () -> { };

    Pending(long id, String method, ObjectNode params, UpstreamListener related, Duration timeout, int maxTimeouts,
            BiConsumer<Pending, String> onCancel) {
        this.id = id;
        this.method = method;
        this.params = params;
        this.related = related;
        this.progressToken = params.path("_meta").get("progressToken");
        this.timeoutNanos = timeout.toNanos();
        long now = System.nanoTime();
        this.deadline = now + timeoutNanos;
        this.lastDeadline = now + timeoutNanos * maxTimeouts;
        this.onCancel = onCancel;
    }

    /** Progress was reported: the timeout starts again (never past the cap). */
    void progressed() {
        deadline = Math.min(lastDeadline, System.nanoTime() + timeoutNanos);
    }

    long nanosLeft() {
        return deadline - System.nanoTime();
    }

    boolean fail(UpstreamException error) {
        boolean failed = future.completeExceptionally(error);
        if (failed) {
            abort.run();
        }
        return failed;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public CompletableFuture<JsonNode> result() {
        return future;
    }

    @Override
    public void cancel(String reason) {
        String why = reason == null ? "cancelled" : reason;
        if (fail(UpstreamException.of(UpstreamException.Kind.CANCELLED, "cancelled: " + LogText.neutralise(why)))) {
            onCancel.accept(this, why);
        }
    }
}
