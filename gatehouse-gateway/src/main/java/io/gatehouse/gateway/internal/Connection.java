package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.UpstreamCall;
import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamException;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.gateway.UpstreamSession;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.log.LogText;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client side of one MCP session with an upstream, whatever the transport: request ids, pending requests and
 * their timeouts, the {@code initialize} handshake (made lazily, retried on the next request when it failed), and the
 * dispatch of what the upstream sends (responses, notifications, server→client requests, cancellations). The
 * transports ({@link StdioConnection}, {@link HttpConnection}) only open, transmit and shut down.
 */
abstract class Connection implements UpstreamSession {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();
    static final String PROTOCOL_VERSION = "2025-11-25";
    static final List<String> ACCEPTED_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");
    /** A request that keeps reporting progress may run this many timeouts long, no longer (MCP basic/utilities). */
    static final int MAX_TIMEOUT_FACTOR = 10;

    final UpstreamConfig config;
    final HealthTracker health;
    private final ObjectNode clientCapabilities;
    private final UpstreamListener listener;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<JsonNode, CompletableFuture<JsonNode>> incoming = new ConcurrentHashMap<>();
    private final Object delivery = new Object();
    private CompletableFuture<ObjectNode> initialized;
    private volatile boolean ended;

    Connection(UpstreamConfig config, HealthTracker health, ObjectNode clientCapabilities, UpstreamListener listener) {
        this.config = config;
        this.health = health;
        this.clientCapabilities = clientCapabilities == null ? Json.object() : clientCapabilities.deepCopy();
        this.listener = listener == null ? new UpstreamListener() { } : listener;
    }

    /** Connects (starts the child, or checks the HTTP session slot); throws an UpstreamException when it cannot. */
    abstract void open();

    /** Sends one message; may block briefly, never for a response. {@code request} is set for a request. */
    abstract void transmit(JsonRpcMessage message, Pending request);

    /** Releases what {@link #open()} took; {@code graceful} when Gatehouse closes the session (HTTP: DELETE). */
    abstract void shutdown(boolean graceful);

    /** Called with the initialize result, before {@code notifications/initialized} and any other request is sent. */
    void initializedWith(ObjectNode result) {
    }

    /** Called after {@code notifications/initialized} was sent, before the session is reported ready. */
    void ready() {
    }

    @Override
    public CompletableFuture<ObjectNode> initialize() {
        return connect().copy();
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public UpstreamCall request(String method, ObjectNode params, UpstreamListener related) {
        Pending call = register(method, params == null ? Json.object() : params, related);
        if (ended) {
            call.fail(UpstreamException.of(UpstreamException.Kind.SESSION_ENDED, "the session with upstream '"
                    + config.name() + "' has ended"));
            return call;
        }
        connect().whenComplete((result, error) -> {
            if (error != null) {
                call.fail(unwrap(error));
            } else if (!call.future.isDone()) {
                VIRTUAL.execute(() -> transmit(new JsonRpcMessage.Request(LongNode.valueOf(call.id), method, call.params), call));
            }
        });
        return call;
    }

    @Override
    public void notify(String method, ObjectNode params) {
        if (ended) {
            return;
        }
        connect().thenRunAsync(() -> transmit(new JsonRpcMessage.Notification(method,
                params == null ? Json.object() : params), null), VIRTUAL);
    }

    @Override
    public void close() {
        end(UpstreamException.of(UpstreamException.Kind.SESSION_ENDED, "the session with upstream '" + config.name()
                + "' was closed"), false);
    }

    /** Whether the handshake of the current connection attempt succeeded. */
    synchronized boolean handshakeDone() {
        return initialized != null && initialized.isDone() && !initialized.isCompletedExceptionally();
    }

    private synchronized CompletableFuture<ObjectNode> connect() {
        if (initialized == null || (initialized.isCompletedExceptionally() && !ended)) {
            CompletableFuture<ObjectNode> attempt = new CompletableFuture<>();
            initialized = attempt;
            Thread.ofVirtual().name("upstream-" + config.name() + "-connect").start(() -> handshake(attempt));
        }
        return initialized;
    }

    private void handshake(CompletableFuture<ObjectNode> attempt) {
        try {
            open();
        } catch (UpstreamException e) {
            health.failure(e.getMessage());
            attempt.completeExceptionally(e);
            return;
        }
        ObjectNode params = Json.object();
        params.put("protocolVersion", PROTOCOL_VERSION);
        params.set("capabilities", clientCapabilities);
        params.putObject("clientInfo").put("name", "gatehouse-gateway").put("version", version());
        Pending call = register("initialize", params, null);
        call.future.whenComplete((result, error) -> {
            UpstreamException failure = error != null ? unwrap(error) : checkInitializeResult(result);
            if (failure != null) {
                if (failure.kind() != UpstreamException.Kind.NO_CALLER_TOKEN) {
                    health.failure(failure.getMessage());
                }
                shutdown(false);
                attempt.completeExceptionally(failure);
                return;
            }
            initializedWith((ObjectNode) result);
            transmit(new JsonRpcMessage.Notification("notifications/initialized", Json.object()), null);
            ready();
            health.success();
            attempt.complete((ObjectNode) result);
        });
        transmit(new JsonRpcMessage.Request(LongNode.valueOf(call.id), "initialize", params), call);
    }

    private UpstreamException checkInitializeResult(JsonNode result) {
        if (result == null || !result.isObject()) {
            return UpstreamException.of(UpstreamException.Kind.PROTOCOL, "upstream '" + config.name()
                    + "' answered initialize without a result object");
        }
        String version = result.path("protocolVersion").asString("");
        if (!ACCEPTED_VERSIONS.contains(version)) {
            return UpstreamException.of(UpstreamException.Kind.PROTOCOL, "upstream '" + config.name()
                    + "' speaks MCP protocol version '" + LogText.neutralise(version) + "', which Gatehouse does not relay"
                    + " (it relays " + String.join(", ", ACCEPTED_VERSIONS) + ")");
        }
        return null;
    }

    private Pending register(String method, ObjectNode params, UpstreamListener related) {
        Pending call = new Pending(ids.incrementAndGet(), method, params, related, config.timeout(), MAX_TIMEOUT_FACTOR,
                this::cancelUpstream);
        pending.put(call.id, call);
        call.future.whenComplete((r, e) -> pending.remove(call.id, call));
        schedule(call, config.timeout().toNanos());
        return call;
    }

    private void schedule(Pending call, long nanos) {
        CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS, VIRTUAL).execute(() -> timeOut(call));
    }

    private void timeOut(Pending call) {
        if (!incoming.isEmpty()) {
            call.progressed(); // the upstream waits on the client (a user answering an elicitation): not slow, up to the cap
        }
        long left = call.nanosLeft();
        if (left > 0 && !call.future.isDone()) {
            schedule(call, left);
            return;
        }
        if (call.fail(UpstreamException.of(UpstreamException.Kind.TIMEOUT, "upstream '" + config.name()
                + "' did not answer " + call.method + " within " + config.timeout().toMillis() + " ms"))) {
            cancelUpstream(call, "timed out");
        }
    }

    /**
     * Handles one message from the upstream; {@code stream} is the request it is about, if known (HTTP: the request
     * whose response carried it).
     */
    void receive(JsonRpcMessage message, Pending stream) {
        switch (message) {
            case JsonRpcMessage.Response r -> {
                Pending call = pendingFor(r.id());
                if (call != null) {
                    call.future.complete((JsonNode) r.result());
                }
            }
            case JsonRpcMessage.ErrorResponse r -> {
                Pending call = pendingFor(r.id());
                if (call != null) {
                    JsonRpcError error = r.error();
                    call.fail(UpstreamException.errorResponse(error.code(), error.message(), error.data()));
                }
            }
            case JsonRpcMessage.Notification n -> notification(n, stream);
            case JsonRpcMessage.Request r -> serverRequest(r, stream);
        }
    }

    private void notification(JsonRpcMessage.Notification n, Pending stream) {
        if (n.method().equals("notifications/cancelled")) {
            JsonNode id = n.params().get("requestId");
            CompletableFuture<JsonNode> request = id == null ? null : incoming.remove(id);
            if (request != null) {
                request.cancel(false);
            }
            return;
        }
        UpstreamListener target = targetFor(n, stream);
        synchronized (delivery) {
            try {
                target.onNotification(n.method(), n.params());
            } catch (RuntimeException e) {
                LOG.warn("upstream {}: the listener failed on {}: {}", config.name(), LogText.neutralise(n.method()), e.toString());
            }
        }
    }

    private void serverRequest(JsonRpcMessage.Request r, Pending stream) {
        if (r.method().equals("ping")) {
            VIRTUAL.execute(() -> transmit(new JsonRpcMessage.Response(r.id(), Json.object()), null));
            return;
        }
        UpstreamListener target = stream != null && stream.related != null ? stream.related : listener;
        CompletableFuture<JsonNode> answer;
        synchronized (delivery) {
            try {
                answer = target.onRequest(r.method(), r.params());
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<JsonNode> tracked = answer == null ? CompletableFuture.completedFuture(Json.object()) : answer;
        incoming.put(r.id(), tracked);
        tracked.whenCompleteAsync((result, error) -> {
            if (!incoming.remove(r.id(), tracked) || ended) {
                return;
            }
            if (error == null) {
                transmit(new JsonRpcMessage.Response(r.id(), result == null ? Json.object() : result), null);
            } else if (unwrapRaw(error) instanceof UpstreamException e && e.kind() == UpstreamException.Kind.ERROR_RESPONSE) {
                transmit(new JsonRpcMessage.ErrorResponse(r.id(), new JsonRpcError(e.code(), e.getMessage(), e.data().orElse(null))), null);
            } else {
                transmit(new JsonRpcMessage.ErrorResponse(r.id(), new JsonRpcError(UpstreamException.INTERNAL_ERROR,
                        "Internal error")), null);
            }
        }, VIRTUAL);
    }

    private UpstreamListener targetFor(JsonRpcMessage.Notification n, Pending stream) {
        UpstreamListener target = listener;
        if (n.method().equals("notifications/progress")) {
            JsonNode token = n.params().get("progressToken");
            for (Pending call : pending.values()) {
                if (token != null && token.equals(call.progressToken)) {
                    call.progressed();
                    if (call.related != null) {
                        target = call.related;
                    }
                }
            }
        }
        return stream != null && stream.related != null ? stream.related : target;
    }

    /** The one request (other than initialize) waiting for the upstream's answer; null when none or several are. */
    Pending soleOpenRequest() {
        Pending sole = null;
        for (Pending call : pending.values()) {
            if (call.method.equals("initialize")) {
                continue;
            }
            if (sole != null) {
                return null;
            }
            sole = call;
        }
        return sole;
    }

    private Pending pendingFor(JsonNode id) {
        return id != null && id.canConvertToLong() ? pending.get(id.asLong()) : null;
    }

    /**
     * Ends the session once: {@code lost} when it ended on its own, and then the listener hears it first (so whoever
     * learns of the failure from a pending request finds the session already ended); then pending requests fail with
     * {@code cause}, requests from the upstream are cancelled, and the transport is shut down.
     */
    void end(UpstreamException cause, boolean lost) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            if (initialized == null || !initialized.isDone()) {
                initialized = CompletableFuture.failedFuture(cause);
            }
        }
        if (lost) {
            try {
                listener.onEnded(cause.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("upstream {}: the listener failed on the session's end: {}", config.name(), e.toString());
            }
        }
        pending.values().forEach(call -> call.fail(cause));
        incoming.values().forEach(request -> request.cancel(false));
        incoming.clear();
        shutdown(!lost);
    }

    /** Fails every pending request (a connection attempt that failed before the handshake finished). */
    void failPending(UpstreamException cause) {
        pending.values().forEach(call -> call.fail(cause));
    }

    private void cancelUpstream(Pending call, String reason) {
        if (ended || call.method.equals("initialize")) {
            return;
        }
        ObjectNode params = Json.object();
        params.put("requestId", call.id);
        params.put("reason", reason);
        VIRTUAL.execute(() -> transmit(new JsonRpcMessage.Notification("notifications/cancelled", params), null));
    }

    static UpstreamException unwrap(Throwable error) {
        Throwable cause = unwrapRaw(error);
        return cause instanceof UpstreamException e ? e
                : UpstreamException.of(UpstreamException.Kind.PROTOCOL, "upstream call failed: " + cause.getClass().getSimpleName());
    }

    private static Throwable unwrapRaw(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String version() {
        String version = Connection.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
