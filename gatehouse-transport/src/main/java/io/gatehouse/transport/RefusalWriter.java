package io.gatehouse.transport;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.rs.bearer.ChallengeHeader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place that writes refusals and failures: status, {@code WWW-Authenticate} (through the resource server's
 * {@link ChallengeHeader}, the only renderer of challenges), {@code Retry-After}, {@code Allow}, and the body in the
 * route's {@link Dialect}. Nothing of the request is ever repeated.
 */
final class RefusalWriter {

    /** The error body a route speaks. */
    enum Dialect {
        /** A JSON-RPC error response: the MCP endpoint. */
        JSON_RPC,
        /** An OAuth error ({@code error}, {@code error_description}): the OAuth endpoints. */
        OAUTH,
        /** The same shape for everything else ({@code /health}, metadata documents, unknown paths). */
        PLAIN
    }

    private static final byte[] OAUTH_SERVER_ERROR = "{\"error\":\"server_error\"}".getBytes(StandardCharsets.UTF_8);

    private final Optional<ChallengeHeader> challenges;

    RefusalWriter(Optional<ChallengeHeader> challenges) {
        this.challenges = challenges;
    }

    void write(Refusal refusal, Dialect dialect, Response response, Callback callback) {
        if (refusal.challenge != null) {
            challenges.flatMap(c -> c.render(refusal.challenge))
                    .ifPresent(header -> response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, header));
        }
        if (refusal.retryAfterSeconds > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(refusal.retryAfterSeconds));
        }
        if (refusal.allow != null) {
            response.getHeaders().put(HttpHeader.ALLOW, refusal.allow);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (dialect == Dialect.JSON_RPC) {
            HttpReplies.rpcError(response, callback, refusal.status, refusal.id, refusal.rpcCode, refusal.getMessage(),
                    refusal.data);
        } else {
            HttpReplies.json(response, callback, refusal.status, errorBody(refusal.error, refusal.getMessage()));
        }
    }

    /**
     * The 500 for a bug, in the route's dialect, without details; {@code modern} when the request declared MCP
     * 2026-07-28, whose error ids are never null.
     */
    void writeFailure(Dialect dialect, boolean modern, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        switch (dialect) {
            case JSON_RPC -> HttpReplies.rpcError(response, callback, 500, modern ? MissingNode.getInstance() : null,
                    JsonRpcErrorCodes.INTERNAL_ERROR, "Internal error", null);
            case OAUTH -> HttpReplies.json(response, callback, 500, OAUTH_SERVER_ERROR);
            case PLAIN -> HttpReplies.json(response, callback, 500, errorBody("server_error", "The server failed to answer this request"));
        }
    }

    static byte[] errorBody(String error, String description) {
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", description);
        return Json.MAPPER.writeValueAsBytes(body);
    }
}
