package io.gatehouse.gateway;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Why an upstream request failed. {@link #code()} and {@link #getMessage()} are what to give the client as a
 * JSON-RPC error: the upstream's own for {@link Kind#ERROR_RESPONSE}, Gatehouse's (naming the upstream, never a
 * secret) otherwise.
 */
public final class UpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** JSON-RPC code for "the upstream did not answer in time" (the TypeScript SDK's RequestTimeout). */
    public static final int REQUEST_TIMEOUT = -32001;
    /** JSON-RPC internal error, for an upstream that is down or misbehaves. */
    public static final int INTERNAL_ERROR = -32603;

    /** What went wrong. */
    public enum Kind {
        /** The upstream answered with a JSON-RPC error. */
        ERROR_RESPONSE,
        /** No answer within the configured timeout. */
        TIMEOUT,
        /** The upstream could not be reached or started, or refused Gatehouse's credentials. */
        UNAVAILABLE,
        /** The upstream session ended (the child exited, the HTTP session expired, or it was closed). */
        SESSION_ENDED,
        /** The upstream sent a message larger than {@link UpstreamConfig#maxMessageBytes()}. */
        OVERSIZED,
        /** The upstream broke the protocol (not JSON-RPC, an unsupported protocol version, ...). */
        PROTOCOL,
        /** Gatehouse cancelled the request. */
        CANCELLED,
        /**
         * No token could be exchanged for the caller ({@code auth: token-exchange}): the caller's failure, not the
         * upstream's, so it does not count against the upstream's health.
         */
        NO_CALLER_TOKEN
    }

    private final transient Kind kind;
    private final int code;
    private final transient JsonNode data;

    private UpstreamException(Kind kind, int code, String message, JsonNode data) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.data = data;
    }

    /** The upstream's (or the relay's) JSON-RPC error. */
    public static UpstreamException errorResponse(int code, String message, JsonNode data) {
        return new UpstreamException(Kind.ERROR_RESPONSE, code, message, data);
    }

    /** A failure of Gatehouse's connection to the upstream, with a log-safe message naming the upstream. */
    public static UpstreamException of(Kind kind, String message) {
        return new UpstreamException(kind, kind == Kind.TIMEOUT ? REQUEST_TIMEOUT : INTERNAL_ERROR, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The JSON-RPC error code to give the client. */
    public int code() {
        return code;
    }

    /** The error's {@code data}, for an upstream's error response that had one. */
    public Optional<JsonNode> data() {
        return Optional.ofNullable(data);
    }
}
