package io.gatehouse.transport;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.rs.bearer.BearerChallenge;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Why a request is not served: thrown by a step of the {@link RequestPipeline} or of the MCP endpoint, and written
 * by {@link RefusalWriter} alone, in the body the route speaks. It carries what the answer needs (status, message,
 * the JSON-RPC id when one is known, a bearer challenge, {@code Allow}, {@code Retry-After}) and nothing of the
 * request. No stack trace: a refusal is a client's mistake or a passing condition, never a bug.
 */
final class Refusal extends RuntimeException {

    final int status;
    /** The OAuth-style {@code error} code of the plain JSON body. */
    final String error;
    final int rpcCode;
    /** The JSON-RPC id the error answers; null when unknown (the body was not read, or could not be parsed). */
    final JsonNode id;
    /** The bearer challenge to render as {@code WWW-Authenticate}, or null. */
    final BearerChallenge challenge;
    /** The {@code Allow} header, or null. */
    final String allow;
    /** Seconds for {@code Retry-After}; 0 for none. */
    final long retryAfterSeconds;
    /** The JSON-RPC error's {@code data}, or null. */
    final JsonNode data;

    private Refusal(int status, String error, int rpcCode, JsonNode id, String message, BearerChallenge challenge,
                    String allow, long retryAfterSeconds) {
        this(status, error, rpcCode, id, message, challenge, allow, retryAfterSeconds, null);
    }

    private Refusal(int status, String error, int rpcCode, JsonNode id, String message, BearerChallenge challenge,
                    String allow, long retryAfterSeconds, JsonNode data) {
        super(message, null, false, false);
        this.data = data;
        this.status = status;
        this.error = error;
        this.rpcCode = rpcCode;
        this.id = id;
        this.challenge = challenge;
        this.allow = allow;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A transport-level refusal: no JSON-RPC id (T-02, T-06). */
    static Refusal of(int status, String message) {
        return new Refusal(status, errorFor(status), JsonRpcErrorCodes.SERVER_ERROR, null, message, null, null, 0);
    }

    /** A refusal that answers a JSON-RPC message with its own code (a parse error, or a request's id). */
    static Refusal rpc(int status, JsonNode id, int rpcCode, String message) {
        return new Refusal(status, errorFor(status), rpcCode, id, message, null, null, 0);
    }

    /** A bearer challenge (401, 400, 403 or 503); {@code id} is null unless the request was authenticated and parsed. */
    static Refusal challenge(BearerChallenge challenge, JsonNode id) {
        String message = switch (challenge) {
            case BearerChallenge.MissingToken m -> "Unauthorized: this server requires an OAuth access token";
            case BearerChallenge.InvalidRequest r -> "Bad Request: " + r.description();
            case BearerChallenge.InvalidToken t -> "Unauthorized: " + t.description();
            case BearerChallenge.InsufficientScope s -> "Forbidden: " + s.description();
            case BearerChallenge.Unavailable u -> "Service Unavailable: access tokens cannot be verified right now; try again shortly";
        };
        long retryAfter = challenge instanceof BearerChallenge.Unavailable u ? u.retryAfterSeconds() : 0;
        return new Refusal(challenge.status(), errorFor(challenge.status()), StreamableHttpEndpoint.UNAUTHORIZED, id, message,
                challenge, null, retryAfter);
    }

    /** 405 naming the methods the route serves. */
    static Refusal methodNotAllowed(String allow, String message) {
        return new Refusal(405, "method_not_allowed", JsonRpcErrorCodes.SERVER_ERROR, null, message, null, allow, 0);
    }

    /** 503: a store the request needed cannot be reached; the client may try again shortly. */
    static Refusal storageUnavailable() {
        return new Refusal(503, "temporarily_unavailable", JsonRpcErrorCodes.SERVER_ERROR, null,
                "Service Unavailable: storage cannot be reached; try again shortly", null, null, HttpReplies.STORE_RETRY_AFTER_SECONDS);
    }

    /** The same refusal, with {@code Retry-After}. */
    Refusal retryAfter(long seconds) {
        return new Refusal(status, error, rpcCode, id, getMessage(), challenge, allow, seconds, data);
    }

    /** The same refusal, with the JSON-RPC error's {@code data}. */
    Refusal withData(JsonNode errorData) {
        return new Refusal(status, error, rpcCode, id, getMessage(), challenge, allow, retryAfterSeconds, errorData);
    }

    /**
     * The same refusal answering a 2026-07-28 request, whose error {@code id} is optional but never null (B-3): an id
     * that could not be read is left out rather than written as null.
     */
    Refusal withoutNullId() {
        return id != null ? this : new Refusal(status, error, rpcCode, MissingNode.getInstance(), getMessage(), challenge,
                allow, retryAfterSeconds, data);
    }

    private static String errorFor(int status) {
        return switch (status) {
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 503 -> "temporarily_unavailable";
            default -> "invalid_request";
        };
    }
}
