package io.gatehouse.mcp.context;

import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a tool, prompt, resource or completion handler knows about the request it serves: the caller, the
 * session, and channels for progress, log messages and requests back to the client. Messages sent through it
 * travel on the stream of this very request, which the transport then answers as server-sent events.
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
     * Asks the client to sample from its model ({@code sampling/createMessage}) and returns its result.
     *
     * @throws ClientRequestException when the client did not declare sampling, refused, or did not answer in time
     */
    JsonNode createMessage(ObjectNode params);

    /**
     * Asks the user for input through the client ({@code elicitation/create}) and returns the result.
     *
     * @throws ClientRequestException when the client did not declare elicitation, refused, or did not answer in time
     */
    JsonNode elicit(ObjectNode params);

    /**
     * Sends a request to the client on this request's stream and waits for its response.
     *
     * @throws ClientRequestException when it cannot be sent, the client answers with an error, or time runs out
     */
    JsonNode request(String method, ObjectNode params, Duration timeout);

    /** Whether the client cancelled this request ({@code notifications/cancelled}) or its session ended. */
    boolean isCancelled();
}
