package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.ClientRequestException;
import io.gatehouse.mcp.context.DownstreamToken;
import io.gatehouse.mcp.context.DownstreamTokens;
import io.gatehouse.mcp.context.InputRequest;
import io.gatehouse.mcp.context.LogLevel;
import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.mrtr.InputRound;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine's {@link RequestContext}: one per request, bound to its session, its response stream and the
 * thread that runs it, so that {@code notifications/cancelled} can interrupt the handler. Input from the client is
 * asked for by era: on a 2025 session with requests on the stream, on a 2026-07-28 request through its
 * {@link InputRound} (MRTR), never with a request.
 */
final class HandlerContext implements RequestContext {

    private static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofSeconds(60);

    private final Caller caller;
    private final McpSession session;
    private final MessageSink sink;
    private final JsonNode progressToken;
    private final ClientRequests clientRequests;
    /** The MRTR round of a modern {@code tools/call}, {@code prompts/get} or {@code resources/read}; else null. */
    private final InputRound round;
    private final DownstreamTokens downstreamTokens;
    /** How many inputs the shorthands asked for, by kind: their keys must be the same in every run of the handler. */
    private final Map<String, Integer> shorthands = new HashMap<>();
    private volatile boolean cancelled;
    private volatile Thread thread;
    private volatile JsonNode requestId;

    HandlerContext(Caller caller, McpSession session, MessageSink sink, JsonNode progressToken,
                   ClientRequests clientRequests) {
        this(caller, session, sink, progressToken, clientRequests, null, DownstreamTokens.NONE);
    }

    HandlerContext(Caller caller, McpSession session, MessageSink sink, JsonNode progressToken,
                   ClientRequests clientRequests, InputRound round, DownstreamTokens downstreamTokens) {
        this.round = round;
        this.downstreamTokens = downstreamTokens;
        this.caller = caller;
        this.session = session;
        this.sink = sink;
        this.progressToken = progressToken;
        this.clientRequests = clientRequests;
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public DownstreamToken downstreamToken(String name) {
        return downstreamTokens.token(caller, name);
    }

    @Override
    public Optional<String> sessionId() {
        return session.id();
    }

    McpSession session() {
        return session;
    }

    /** The response stream of this request. */
    MessageSink sink() {
        return sink;
    }

    /** The JSON-RPC id of the request being served. */
    JsonNode requestId() {
        return requestId;
    }

    void requestId(JsonNode id) {
        this.requestId = id;
    }

    @Override
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

    @Override
    public void log(LogLevel level, String logger, Object data) {
        if (session.modern() && session.logLevel().isEmpty()) {
            return; // 2026-07-28: no notifications/message for a request that set no logLevel (L-1)
        }
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

    @Override
    public Map<String, JsonNode> ask(Map<String, InputRequest> requests) {
        if (session.modern()) {
            if (round == null) {
                throw new ClientRequestException("input from the client can be asked for only in tools/call, "
                        + "prompts/get and resources/read");
            }
            return round.ask(requests);
        }
        requests.values().stream().filter(r -> !canAsk(r)).findFirst().ifPresent(r -> {
            throw new ClientRequestException("the client did not declare the " + r.capability() + " capability");
        });
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        requests.forEach((key, r) -> answers.put(key, request(r.method(), r.params(), DEFAULT_CLIENT_TIMEOUT)));
        return Collections.unmodifiableMap(answers);
    }

    @Override
    public boolean canAsk(InputRequest request) {
        if (session.modern()) {
            return round != null && round.canAsk(request);
        }
        return !session.knowsClientCapabilities() || request.missingCapabilities(session.clientCapabilities()).isEmpty();
    }

    /** Whether this run asked for input the request did not carry: the answer is then {@code InputRequiredResult}. */
    boolean needsInput() {
        return round != null && round.needsInput();
    }

    @Override
    public JsonNode createMessage(ObjectNode params) {
        if (session.modern()) {
            return askShorthand("sampling", InputRequest.createMessage(params));
        }
        requireClientCapability("sampling");
        return request("sampling/createMessage", params, DEFAULT_CLIENT_TIMEOUT);
    }

    @Override
    public JsonNode elicit(ObjectNode params) {
        if (session.modern()) {
            return askShorthand("elicitation", InputRequest.elicit(params));
        }
        requireClientCapability("elicitation");
        return request("elicitation/create", params, DEFAULT_CLIENT_TIMEOUT);
    }

    private JsonNode askShorthand(String kind, InputRequest request) {
        int n = shorthands.merge(kind, 1, Integer::sum);
        return ask(kind + "-" + n, request);
    }

    @Override
    public JsonNode request(String method, ObjectNode params, Duration timeout) {
        if (session.modern()) {
            return switch (method) {
                case "elicitation/create" -> elicit(params);
                case "sampling/createMessage" -> createMessage(params);
                case "roots/list" -> askShorthand("roots", InputRequest.listRoots());
                default -> throw new ClientRequestException(method + " cannot be sent to a 2026-07-28 client");
            };
        }
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

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    void runningOn(Thread thread) {
        this.thread = thread;
    }

    void cancel() {
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
