package io.gatehouse.mcp.context;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a tool, prompt, resource or completion handler knows about the request it serves: the caller, the
 * session, and channels for progress, log messages and requests back to the client. Messages sent through it
 * travel on the stream of this very request, which the transport then answers as server-sent events.
 *
 * <p>A handler that needs input from the client (a user's answer, a model's completion, the client's roots) asks
 * with {@link #ask}, written once for both protocol eras. On an MCP 2025 session the client is asked at once with a
 * request on this request's stream, and {@code ask} returns its answers. On an MCP 2026-07-28 request (stateless, no
 * server-to-client requests) the server instead answers {@code InputRequiredResult} and <b>runs the handler again from
 * the start when the client retries the request</b> with the answers, where {@code ask} returns them (answers of
 * earlier rounds travel, sealed, in the {@code requestState}). So a handler that asks should do nothing it cannot
 * repeat before its last {@code ask}, and must not catch what {@code ask} throws.
 *
 * <p>The server hands one to every handler call; a handler never creates one. In a unit test of a handler, a
 * small implementation of this interface (or a mock) stands in for it.
 *
 * <pre>{@code
 * (args, ctx) -> {
 *     ctx.log(LogLevel.INFO, "deploy", "deploying " + args.service() + " for " + ctx.caller().username());
 *     ctx.caller().requireScope("mcp:deploy:prod");   // step-up: 403 insufficient_scope naming this scope
 *     return ToolResult.text("deployed");
 * }
 * }</pre>
 */
public interface RequestContext {

    /** Who sent the request: the authenticated caller, or {@link Caller#anonymous()} when authentication is off. */
    Caller caller();

    /** The {@code Mcp-Session-Id} of the session this request belongs to; empty for a stateless request. */
    Optional<String> sessionId();

    /**
     * Reports progress when the request carried a {@code _meta.progressToken}; otherwise does nothing.
     * {@code progress} must increase from call to call; {@code total} and {@code message} may be null.
     */
    void progress(double progress, Double total, String message);

    /**
     * Sends a {@code notifications/message} when {@code level} reaches the level the client asked for.
     * {@code logger} may be null; {@code data} is any value that serializes to JSON.
     */
    void log(LogLevel level, String logger, Object data);

    /**
     * Asks the client for several inputs at once and returns its answers by the same keys: each answer is the
     * result of the request's method ({@code ElicitResult}, {@code CreateMessageResult}, {@code ListRootsResult}).
     * Keys are the handler's own names, stable from run to run (on 2026-07-28 the client answers by key).
     *
     * <p>On 2025 sessions the requests go to the client one after the other. On 2026-07-28 a missing answer ends
     * this run of the handler (the server answers {@code InputRequiredResult}); the handler runs again from the start
     * on the client's retry. A request for a capability the client did not declare is never sent: on 2026-07-28 the
     * request fails with {@code -32021}; check {@link #canAsk} first to ask only for what the client can answer.
     *
     * @throws ClientRequestException on a 2025 session, when the client did not declare the capability, refused, or
     *                                did not answer in time
     */
    default Map<String, JsonNode> ask(Map<String, InputRequest> requests) {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        requests.forEach((key, request) -> answers.put(key, switch (request.method()) {
            case "elicitation/create" -> elicit(request.params());
            case "sampling/createMessage" -> createMessage(request.params());
            default -> request(request.method(), request.params(), Duration.ofSeconds(60));
        }));
        return Collections.unmodifiableMap(answers);
    }

    /** Asks the client for one input: {@link #ask(Map)} with a single key. */
    default JsonNode ask(String key, InputRequest request) {
        return ask(Map.of(key, request)).get(key);
    }

    /** Whether the client declared the capability {@code request} needs, so that {@link #ask} may ask for it. */
    default boolean canAsk(InputRequest request) {
        return true;
    }

    /**
     * Asks the client to sample from its model ({@code sampling/createMessage}) and returns its result: a shorthand
     * for {@link #ask(String, InputRequest)} with a key of the engine's choosing (on 2026-07-28 the handler runs again).
     *
     * @throws ClientRequestException when the client did not declare sampling, refused, or did not answer in time
     */
    JsonNode createMessage(ObjectNode params);

    /**
     * Asks the user for input through the client ({@code elicitation/create}) and returns the result: a shorthand
     * for {@link #ask(String, InputRequest)} with a key of the engine's choosing (on 2026-07-28 the handler runs again).
     *
     * @throws ClientRequestException when the client did not declare elicitation, refused, or did not answer in time
     */
    JsonNode elicit(ObjectNode params);

    /**
     * Sends a request to the client on this request's stream and waits for its response. On 2026-07-28, where the
     * server sends no requests, {@code elicitation/create}, {@code sampling/createMessage} and {@code roots/list} are
     * asked as by {@link #ask(String, InputRequest)} and any other method fails.
     *
     * @throws ClientRequestException when it cannot be sent, the client answers with an error, or time runs out
     */
    JsonNode request(String method, ObjectNode params, Duration timeout);

    /**
     * An access token of the downstream API configured under {@code name} (the {@code downstreams:} section), for
     * the current caller: the caller's own token exchanged (RFC 8693) for one whose audience is that API, whose
     * subject is the caller and whose actor is this server. The caller's MCP token itself is never handed on. Tokens
     * are cached per caller and downstream until shortly before they expire.
     *
     * <pre>{@code
     * DownstreamToken token = ctx.downstreamToken("reports");
     * HttpRequest.newBuilder(reportsUrl).header("Authorization", token.authorizationHeader())...
     * }</pre>
     *
     * @throws DownstreamTokenException when none can be had (not configured, refused, unreachable): in a tool it
     *                                  becomes an {@code isError} result the model can read
     */
    default DownstreamToken downstreamToken(String name) {
        return DownstreamTokens.NONE.token(caller(), name);
    }

    /** Whether the client cancelled this request ({@code notifications/cancelled}) or its session ended. */
    boolean isCancelled();
}
