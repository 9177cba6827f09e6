package io.gatehouse.mcp.context;

import io.gatehouse.mcp.server.McpSession;
import io.gatehouse.mcp.server.MessageSink;
import io.gatehouse.mcp.server.ClientRequests;
import io.gatehouse.mcp.json.Json;
import io.gatehouse.mcp.jsonrpc.JsonRpcMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a tool, prompt, resource or completion handler knows about the request it serves: the caller, the
 * session, and sinks for progress, log messages and requests back to the client. Messages sent through it
 * travel on the stream of this very request, which the transport then answers as server-sent events.
 */
public final class RequestContext {

    private static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofSeconds(60);

    private final Caller caller;
    private final McpSession session;
    private final MessageSink sink;
    private final JsonNode progressToken;
    private final ClientRequests clientRequests;
    private volatile boolean cancelled;
    private volatile Thread thread;

    public RequestContext(Caller caller, McpSession session, MessageSink sink, JsonNode progressToken,
                   ClientRequests clientRequests) {
        this.caller = caller;
        this.session = session;
        this.sink = sink;
        this.progressToken = progressToken;
        this.clientRequests = clientRequests;
    }

    public Caller caller() {
        return caller;
    }

    public McpSession session() {
        return session;
    }

    /**
     * Reports progress when the request carried a {@code _meta.progressToken}; otherwise does nothing.
     * {@code progress} must increase from call to call; {@code total} and {@code message} may be null.
     */
    public void progress(double progress, Double total, String message) {
        if (progressToken == null) {
            return;
        }
        ObjectNode params = Json.object();
        params.set("progressToken", progressToken);
        params.put("progress", progress);
        if (total != null) {
            params.put("total", total);
        }
        if (message != null) {
            params.put("message", message);
        }
        sink.send(new JsonRpcMessage.Notification("notifications/progress", params));
    }

    /** Sends a {@code notifications/message} when {@code level} reaches the level the client asked for. */
    public void log(LogLevel level, String logger, Object data) {
        if (session.logLevel().map(min -> level.compareTo(min) < 0).orElse(false)) {
            return;
        }
        ObjectNode params = Json.object();
        params.put("level", level.wireName());
        if (logger != null) {
            params.put("logger", logger);
        }
        params.set("data", Json.MAPPER.valueToTree(data));
        sink.send(new JsonRpcMessage.Notification("notifications/message", params));
    }

    /** Asks the client to sample from its model ({@code sampling/createMessage}) and returns its result. */
    public JsonNode createMessage(ObjectNode params) {
        requireClientCapability("sampling");
        return request("sampling/createMessage", params, DEFAULT_CLIENT_TIMEOUT);
    }

    /** Asks the user for input through the client ({@code elicitation/create}) and returns the result. */
    public JsonNode elicit(ObjectNode params) {
        requireClientCapability("elicitation");
        return request("elicitation/create", params, DEFAULT_CLIENT_TIMEOUT);
    }

    /**
     * Sends a request to the client on this request's stream and waits for its response.
     *
     * @throws ClientRequestException when it cannot be sent, the client answers with an error, or time runs out
     */
    public JsonNode request(String method, ObjectNode params, Duration timeout) {
        CompletableFuture<JsonRpcMessage> response = new CompletableFuture<>();
        JsonNode id = clientRequests.newId(session, response);
        try {
            if (!sink.send(new JsonRpcMessage.Request(id, method, params))) {
                throw new ClientRequestException("the client cannot receive " + method
                        + " on this request (it must accept text/event-stream)");
            }
            JsonRpcMessage answer = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer instanceof JsonRpcMessage.ErrorResponse error) {
                throw new ClientRequestException("the client answered " + method + " with error "
                        + error.error().code() + ": " + error.error().message());
            }
            JsonNode result = (JsonNode) ((JsonRpcMessage.Response) answer).result();
            return result == null ? Json.object() : result;
        } catch (TimeoutException e) {
            throw new ClientRequestException("the client did not answer " + method + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientRequestException(method + " was interrupted: the request was cancelled");
        } catch (ExecutionException e) {
            throw new ClientRequestException(method + " failed");
        } finally {
            clientRequests.forget(id.stringValue());
        }
    }

    /** Whether the client cancelled this request ({@code notifications/cancelled}) or its session ended. */
    public boolean isCancelled() {
        return cancelled;
    }

    public void runningOn(Thread thread) {
        this.thread = thread;
    }

    public void cancel() {
        cancelled = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void requireClientCapability(String capability) {
        if (session.knowsClientCapabilities() && !session.clientCapabilities().has(capability)) {
            throw new ClientRequestException("the client did not declare the " + capability + " capability");
        }
    }
}
