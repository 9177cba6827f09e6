package io.gatehouse.mcp.internal.mrtr;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.InputRequest;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of a modern {@code tools/call}, {@code prompts/get} or {@code resources/read} handler (MRTR, SEP-2322): the
 * answers it can have (those sealed in a verified {@code requestState}, then the retry's {@code inputResponses}), and
 * what it asked for that is still missing. A handler that asks for a missing answer ends its run ({@link InputRequired});
 * the engine then answers {@link #inputRequiredResult} and, on the client's retry, runs the handler again from the start.
 *
 * <p>Refusals are {@code -32602}: malformed {@code inputResponses} (M-8), and a {@code requestState} that does not
 * open, has expired, or was issued to another principal or for another request (M-4, M-5), all with one message.
 * An input request for a capability the request did not declare is never sent: {@code -32021} (M-6).
 */
public final class InputRound {

    /** The only requests that may answer {@code InputRequiredResult} (M-2). */
    public static final Set<String> METHODS = Set.of("tools/call", "prompts/get", "resources/read");
    /** How long a {@code requestState} is accepted after it was issued (M-5). */
    public static final Duration STATE_LIFETIME = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(InputRound.class);
    static final String INVALID_STATE = "Invalid requestState: it is malformed or altered, has expired, "
            + "or was issued to another caller or for another request";

    /** Whom a state this round seals is bound to ({@link #boundTo}, computed only when one is sealed). */
    private final Caller caller;
    private final String method;
    /** The request's params: their digest is computed only when a state is opened or sealed (most calls need neither). */
    private final ObjectNode params;
    private final JsonNode clientCapabilities;
    private final ObjectNode sealed;
    private final ObjectNode responses;
    private final Map<String, JsonNode> used = new LinkedHashMap<>();
    private final Map<String, InputRequest> pending = new LinkedHashMap<>();

    private InputRound(Caller caller, String method, ObjectNode params, JsonNode clientCapabilities, ObjectNode sealed,
                       ObjectNode responses) {
        this.caller = caller;
        this.method = method;
        this.params = params;
        this.clientCapabilities = clientCapabilities;
        this.sealed = sealed;
        this.responses = responses;
    }

    /**
     * Reads a request's {@code inputResponses} and {@code requestState}.
     *
     * @throws JsonRpcException {@code -32602} when either is malformed, or the state fails verification
     */
    public static InputRound of(String method, ObjectNode params, Caller caller, JsonNode clientCapabilities,
                                RequestStateSeal seal, Instant now) {
        ObjectNode responses = inputResponses(params);
        ObjectNode sealed = Json.object();
        if (params.has("requestState")) {
            JsonNode text = params.get("requestState");
            if (!text.isString()) {
                throw JsonRpcException.invalidParams("params.requestState must be a string");
            }
            RequestState state = seal.open(text.stringValue())
                    .filter(s -> verified(s, boundTo(caller), method, RequestDigest.of(method, params), now))
                    .orElseThrow(() -> JsonRpcException.invalidParams(INVALID_STATE));
            sealed = state.answers();
        }
        return new InputRound(caller, method, params, clientCapabilities, sealed, responses);
    }

    /** Whom a state is bound to: the user (issuer and subject) and the OAuth client acting for them. */
    private static String boundTo(Caller caller) {
        return caller.principalKey() + "\u0000" + caller.clientId();
    }

    private static boolean verified(RequestState state, String principal, String method, String digest, Instant now) {
        String problem = !state.principal().equals(principal) ? "another principal"
                : !state.method().equals(method) ? "another method"
                : !state.digest().equals(digest) ? "other params"
                : !now.isBefore(state.expiresAt()) ? "expired" : null;
        if (problem != null) {
            LOG.debug("refused a requestState: {}", problem); // never the state itself
        }
        return problem == null;
    }

    private static ObjectNode inputResponses(ObjectNode params) {
        if (!params.has("inputResponses")) {
            return Json.object();
        }
        JsonNode responses = params.get("inputResponses");
        if (!responses.isObject()) {
            throw JsonRpcException.invalidParams("params.inputResponses must be an object of results by key");
        }
        for (var entry : responses.properties()) {
            if (!entry.getValue().isObject()) {
                throw JsonRpcException.invalidParams("params.inputResponses must hold an object (a result) for each key");
            }
        }
        return (ObjectNode) responses;
    }

    /** Whether the client declared what {@code request} needs. */
    public boolean canAsk(InputRequest request) {
        return request.missingCapabilities(clientCapabilities).isEmpty();
    }

    /**
     * The answers to {@code requests} by key, when this round has them all.
     *
     * @throws JsonRpcException {@code -32021} when one needs a capability the request did not declare, {@code -32602}
     *                          when an answer is not a result of its method, {@link InputRequired} when one is missing
     */
    public synchronized Map<String, JsonNode> ask(Map<String, InputRequest> requests) {
        requireCapabilities(requests);
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        requests.forEach((key, request) -> answer(key, request).ifPresentOrElse(a -> answers.put(key, a),
                () -> pending.put(key, request)));
        if (answers.size() < requests.size()) {
            throw new InputRequired();
        }
        used.putAll(answers);
        Map<String, JsonNode> copies = new LinkedHashMap<>();
        answers.forEach((key, answer) -> copies.put(key, answer.deepCopy()));
        return Collections.unmodifiableMap(copies);
    }

    private void requireCapabilities(Map<String, InputRequest> requests) {
        ObjectNode missing = Json.object();
        for (InputRequest request : requests.values()) {
            for (var capability : request.missingCapabilities(clientCapabilities).properties()) {
                ObjectNode into = missing.get(capability.getKey()) instanceof ObjectNode known ? known
                        : missing.putObject(capability.getKey());
                into.setAll((ObjectNode) capability.getValue());
            }
        }
        if (!missing.isEmpty()) {
            List<String> names = new ArrayList<>();
            missing.properties().forEach(e -> names.add(e.getKey()));
            ObjectNode data = Json.object();
            data.set("requiredCapabilities", missing);
            throw new JsonRpcException(JsonRpcErrorCodes.MISSING_CLIENT_CAPABILITY,
                    "Missing required client capability: " + String.join(", ", names), data);
        }
    }

    /** An earlier round's answer wins over the retry's: it was sealed, the retry's is whatever the client sends now. */
    private Optional<JsonNode> answer(String key, InputRequest request) {
        JsonNode earlier = sealed.get(key);
        if (earlier != null) {
            return Optional.of(earlier);
        }
        JsonNode now = responses.get(key);
        if (now == null) {
            return Optional.empty();
        }
        if (!isResultOf(request.method(), now)) {
            throw JsonRpcException.invalidParams("params.inputResponses." + key + " is not a result of " + request.method());
        }
        return Optional.of(now);
    }

    private static boolean isResultOf(String method, JsonNode answer) {
        return switch (method) {
            case "elicitation/create" -> Set.of("accept", "decline", "cancel").contains(answer.path("action").asString(""))
                    && (!answer.has("content") || answer.get("content").isObject());
            case "sampling/createMessage" -> answer.path("role").isString() && answer.has("content");
            case "roots/list" -> answer.path("roots").isArray();
            default -> true;
        };
    }

    /** Whether the handler asked for something this round does not have. */
    public synchronized boolean needsInput() {
        return !pending.isEmpty();
    }

    /**
     * The {@code InputRequiredResult}: what is still missing, and a new {@code requestState} sealing the answers this
     * run used, bound to the caller and this request, valid for {@link #STATE_LIFETIME}. No caching hints (M-9).
     */
    public synchronized ObjectNode inputRequiredResult(RequestStateSeal seal, Instant now) {
        ObjectNode result = Json.object();
        result.put("resultType", "input_required");
        ObjectNode requests = result.putObject("inputRequests");
        pending.forEach((key, request) -> {
            ObjectNode entry = requests.putObject(key);
            entry.put("method", request.method());
            entry.set("params", request.params());
        });
        ObjectNode answers = Json.object();
        used.forEach(answers::set);
        result.put("requestState", seal.seal(new RequestState(boundTo(caller), method,
                RequestDigest.of(method, params), now.plus(STATE_LIFETIME), answers)));
        return result;
    }
}
