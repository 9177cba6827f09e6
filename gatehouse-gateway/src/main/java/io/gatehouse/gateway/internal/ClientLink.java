package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.Upstream;
import io.gatehouse.gateway.UpstreamCall;
import io.gatehouse.gateway.UpstreamException;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.gateway.UpstreamSession;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.ClientRequestException;
import io.gatehouse.mcp.context.LogLevel;
import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.internal.log.LogText;
import io.gatehouse.mcp.internal.server.ClientChannel;
import io.gatehouse.mcp.internal.server.Relay;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One client session's connection to every upstream: an {@link UpstreamSession} each, declaring the client's own
 * capabilities, and the routing of the client's requests to them. What an upstream sends about a request (progress,
 * log messages, requests to the client) goes to that request's stream; what belongs to no request goes to the client
 * session's standalone stream. An upstream session that ends on its own ends the client session, which then
 * initializes again.
 */
public final class ClientLink {

    private static final Logger LOG = LoggerFactory.getLogger(ClientLink.class);
    private static final String CURSOR_PREFIX = "gw1:";
    /** What an upstream may ask the client, by the capability the client must have declared. */
    private static final Map<String, String> CLIENT_METHODS = Map.of("sampling/createMessage", "sampling",
            "elicitation/create", "elicitation", "roots/list", "roots");
    /** How long a client may take to answer an upstream's request: a person may be answering an elicitation. */
    private static final java.time.Duration CLIENT_ANSWER_TIMEOUT = java.time.Duration.ofMinutes(5);
    /**
     * How many upstream requests may wait for this client at once. Each holds a thread and a pending entry for up to
     * {@link #CLIENT_ANSWER_TIMEOUT}, and a sampling request costs the user a model call: an upstream that floods the
     * client gets the excess refused, not queued.
     */
    static final int MAX_OPEN_CLIENT_REQUESTS = 16;
    /** What an upstream may tell the client outside a call; anything else (a progress of no call, ...) is dropped. */
    private static final java.util.Set<String> SESSION_NOTIFICATIONS = java.util.Set.of("notifications/tools/list_changed",
            "notifications/prompts/list_changed", "notifications/resources/list_changed", "notifications/resources/updated",
            "notifications/message");

    /** One upstream as this client sees it: its session and what it declared at initialize. */
    private record Link(Upstream upstream, UpstreamSession session, String prefix) {
        String name() {
            return upstream.config().name();
        }
    }

    private final ClientChannel client;
    /** The caller of this client session's latest request (the session's owner): whose token is exchanged. */
    private volatile Caller caller;
    private final List<Link> links = new ArrayList<>();
    /** Each upstream's initialize result, once it answered. */
    private final Map<Link, ObjectNode> initialized = new ConcurrentHashMap<>();
    /** Which upstream listed a resource URI: where reading it goes when several upstreams serve resources. */
    private final Map<String, Link> resourceOwners = new ConcurrentHashMap<>();
    /** Upstream requests waiting for the client's answer. */
    private final java.util.concurrent.atomic.AtomicInteger openClientRequests = new java.util.concurrent.atomic.AtomicInteger();

    public ClientLink(List<Upstream> upstreams, ClientChannel client) {
        this.client = client;
        this.caller = client.caller();
        ObjectNode capabilities = client.clientCapabilities().isObject()
                ? (ObjectNode) client.clientCapabilities().deepCopy() : Json.object();
        for (Upstream upstream : upstreams) {
            links.add(new Link(upstream, upstream.openSession(capabilities, new SessionListener(upstream.config().name()),
                    () -> caller),
                    upstream.config().toolPrefix()));
        }
    }

    /**
     * Initializes every upstream session at once and merges what they declare. Upstreams that fail are left out (and
     * logged); only when none answers does the client's {@code initialize} fail.
     */
    public Relay.Handshake handshake() {
        Map<Link, CompletableFuture<ObjectNode>> pending = new LinkedHashMap<>();
        links.forEach(link -> pending.put(link, link.session().initialize()));
        List<String> failures = new ArrayList<>();
        ObjectNode capabilities = Json.object();
        List<String> instructions = new ArrayList<>();
        for (var entry : pending.entrySet()) {
            Link link = entry.getKey();
            try {
                ObjectNode result = await(entry.getValue());
                initialized.put(link, result);
                merge(capabilities, result.path("capabilities"));
                String text = result.path("instructions").asString("");
                if (!text.isBlank()) {
                    instructions.add(links.size() == 1 ? text : link.name() + ": " + text);
                }
            } catch (JsonRpcException e) {
                LOG.warn("Upstream '{}' did not initialize: {}", link.name(), LogText.neutralise(e.getMessage()));
                failures.add(e.getMessage());
            }
        }
        if (initialized.isEmpty()) {
            throw new JsonRpcException(JsonRpcErrorCodes.INTERNAL_ERROR, failures.size() == 1 ? failures.getFirst()
                    : "No upstream is reachable: " + String.join("; ", failures));
        }
        return new Relay.Handshake(capabilities, instructions.isEmpty() ? Optional.empty()
                : Optional.of(String.join("\n\n", instructions)));
    }

    /**
     * The features the upstreams declare, merged: a capability is on when one upstream has it; a flag is declared as
     * an upstream declared it (true when one says true), so a single upstream's capabilities pass unchanged.
     */
    private static void merge(ObjectNode into, JsonNode declared) {
        for (String feature : List.of("tools", "prompts", "resources", "completions", "logging")) {
            JsonNode caps = declared.get(feature);
            if (caps == null || !caps.isObject()) {
                continue;
            }
            ObjectNode merged = into.has(feature) ? (ObjectNode) into.get(feature) : into.putObject(feature);
            for (String flag : List.of("listChanged", "subscribe")) {
                if (caps.path(flag).isBoolean()) {
                    merged.put(flag, merged.path(flag).asBoolean(false) || caps.path(flag).asBoolean());
                }
            }
        }
    }

    public JsonNode handle(String method, ObjectNode params, RequestContext context) {
        if (context.caller().principalKey().equals(caller.principalKey())) {
            caller = context.caller(); // the same principal, perhaps with a fresher token: what token exchange uses
        }
        return switch (method) {
            case "tools/list" -> list(method, "tools", "tools", "name", params, context);
            case "prompts/list" -> list(method, "prompts", "prompts", "name", params, context);
            case "resources/list" -> list(method, "resources", "resources", null, params, context);
            case "resources/templates/list" -> list(method, "resources", "resourceTemplates", "name", params, context);
            case "tools/call", "prompts/get" -> byName(method, params, context);
            case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
                    byUri(method, params, text(params, "uri", "params.uri"), context);
            case "completion/complete" -> complete(params, context);
            case "logging/setLevel" -> setLevel(params, context);
            default -> throw JsonRpcException.methodNotFound(method);
        };
    }

    // --- lists ----------------------------------------------------------------------------------------------

    /**
     * A page of a list. With one upstream the cursor is the upstream's own; with several it names the upstream and the
     * upstream's cursor, and each page comes from one upstream. An upstream that cannot be listed is skipped when there
     * are others (they keep being served).
     */
    private JsonNode list(String method, String capability, String member, String nameKey, ObjectNode params,
                          RequestContext context) {
        if (links.size() == 1) {
            Link only = links.getFirst();
            return renamed(forward(only, method, params, context), member, nameKey, only);
        }
        Position at = Position.of(params.get("cursor"), links.size());
        for (int i = at.index(); i < links.size(); i++) {
            Link link = links.get(i);
            if (!declares(link, capability)) {
                continue;
            }
            ObjectNode upstreamParams = params.deepCopy();
            upstreamParams.remove("cursor");
            if (i == at.index() && at.cursor() != null) {
                upstreamParams.put("cursor", at.cursor());
            }
            JsonNode page;
            try {
                page = forward(link, method, upstreamParams, context);
            } catch (JsonRpcException e) {
                if (i == at.index() && at.cursor() != null && e.error().code() == JsonRpcErrorCodes.INVALID_PARAMS) {
                    throw e; // the upstream refused the client's cursor: the client's mistake, not an upstream to skip
                }
                LOG.warn("Upstream '{}' left out of {}: {}", link.name(), method, LogText.neutralise(e.getMessage()));
                continue;
            }
            if (!(page instanceof ObjectNode)) {
                LOG.warn("Upstream '{}' left out of {}: its result is not an object", link.name(), method);
                continue;
            }
            ObjectNode result = (ObjectNode) renamed(page, member, nameKey, link);
            if (member.equals("tools") || member.equals("prompts")) {
                dropForeign(result.get(member), link, method);
            }
            if (member.equals("resources")) {
                result.path("resources").forEach(r -> resourceOwners.put(r.path("uri").asString(""), link));
            }
            String next = page.path("nextCursor").asString(null);
            result.remove("nextCursor");
            if (next != null) {
                result.put("nextCursor", Position.encode(i, next));
            } else if (i + 1 < links.size()) {
                result.put("nextCursor", Position.encode(i + 1, null));
            }
            return result;
        }
        ObjectNode empty = Json.object();
        empty.putArray(member);
        return empty;
    }

    /** Where a merged list continues: the upstream's index and its own cursor (null: its first page). */
    private record Position(int index, String cursor) {
        static Position of(JsonNode cursor, int upstreams) {
            if (cursor == null || cursor.isNull()) {
                return new Position(0, null);
            }
            try {
                String decoded = new String(java.util.Base64.getUrlDecoder().decode(cursor.asString("")),
                        java.nio.charset.StandardCharsets.UTF_8);
                if (decoded.startsWith(CURSOR_PREFIX)) {
                    String rest = decoded.substring(CURSOR_PREFIX.length());
                    int colon = rest.indexOf(':');
                    int index = Integer.parseInt(colon < 0 ? rest : rest.substring(0, colon));
                    if (index >= 0 && index < upstreams) {
                        return new Position(index, colon < 0 ? null : rest.substring(colon + 1));
                    }
                }
            } catch (IllegalArgumentException e) {
                // falls through to the error below
            }
            throw JsonRpcException.invalidParams("Invalid cursor");
        }

        static String encode(int index, String cursor) {
            String plain = CURSOR_PREFIX + index + (cursor == null ? "" : ":" + cursor);
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The upstream's names with its prefix, as clients see and call them. */
    private static JsonNode renamed(JsonNode page, String member, String nameKey, Link link) {
        if (nameKey != null && !link.prefix().isEmpty() && page.get(member) instanceof ArrayNode items) {
            for (JsonNode item : items) {
                if (item instanceof ObjectNode object && item.get(nameKey) != null && item.get(nameKey).isString()) {
                    object.put(nameKey, link.prefix() + item.get(nameKey).stringValue());
                }
            }
        }
        return page;
    }

    /**
     * Drops the items a call by their name would not reach: an upstream's name that carries another upstream's prefix
     * (one without a prefix listing {@code files_read}). Kept, it would show the client this upstream's description
     * for a tool or prompt that calls go to the other upstream for.
     */
    private void dropForeign(JsonNode items, Link link, String method) {
        if (!(items instanceof ArrayNode array)) {
            return;
        }
        for (int i = array.size() - 1; i >= 0; i--) {
            JsonNode name = array.get(i).get("name");
            if (name != null && name.isString() && owner(name.stringValue()).orElse(null) != link) {
                LOG.warn("Upstream '{}' listed '{}' in {}, a name routed to another upstream; left out", link.name(),
                        LogText.neutralise(name.stringValue()), method);
                array.remove(i);
            }
        }
    }

    private boolean declares(Link link, String capability) {
        ObjectNode result = initialized.get(link);
        return result == null || result.path("capabilities").has(capability); // not initialized yet: ask it
    }

    // --- routing --------------------------------------------------------------------------------------------

    /** {@code tools/call} and {@code prompts/get}: to the upstream whose prefix the name carries, without it. */
    private JsonNode byName(String method, ObjectNode params, RequestContext context) {
        String name = text(params, "name", "params.name");
        Link link = owner(name).orElseThrow(() -> JsonRpcException.invalidParams("Unknown "
                + (method.equals("tools/call") ? "tool" : "prompt") + ": " + name));
        return forward(link, method, unprefixed(params, link, name), context);
    }

    /**
     * The name or URI a request addresses, which must be a string: the access policy decided on its text, and the
     * params go upstream as they are, so anything else (["secret"], which a careless upstream reads as "secret") would
     * reach an item the policy never looked at.
     */
    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw JsonRpcException.invalidParams(where + " must be a string");
        }
        return value.stringValue();
    }

    /** The params with {@code name} as the upstream knows it. */
    private static ObjectNode unprefixed(ObjectNode params, Link link, String name) {
        if (link.prefix().isEmpty()) {
            return params;
        }
        ObjectNode copy = params.deepCopy();
        copy.put("name", name.substring(link.prefix().length()));
        return copy;
    }

    /** The upstream with the longest prefix that starts {@code name}, else the one without a prefix. */
    public static Optional<Upstream> owner(List<Upstream> upstreams, String name) {
        return upstreams.stream().filter(u -> {
                    String prefix = u.config().toolPrefix();
                    return !prefix.isEmpty() && name.startsWith(prefix) && name.length() > prefix.length();
                })
                .max(Comparator.comparingInt(u -> u.config().toolPrefix().length()))
                .or(() -> upstreams.stream().filter(u -> u.config().toolPrefix().isEmpty()).findFirst());
    }

    private Optional<Link> owner(String name) {
        return owner(links.stream().map(Link::upstream).toList(), name)
                .flatMap(u -> links.stream().filter(l -> l.upstream() == u).findFirst());
    }

    /**
     * A resource method: to the upstream that listed the URI; else to each upstream that serves resources in turn,
     * until one knows the URI.
     */
    private JsonNode byUri(String method, ObjectNode params, String uri, RequestContext context) {
        Link known = links.size() == 1 ? links.getFirst() : resourceOwners.get(uri);
        if (known != null) {
            return forward(known, method, params, context);
        }
        JsonRpcException last = null;
        for (Link link : links) {
            if (!declares(link, "resources")) {
                continue;
            }
            try {
                return forward(link, method, params, context);
            } catch (JsonRpcException e) {
                last = e;
                int code = e.error().code();
                if (code != JsonRpcErrorCodes.RESOURCE_NOT_FOUND && code != JsonRpcErrorCodes.INVALID_PARAMS) {
                    throw e;
                }
            }
        }
        throw last != null ? last : new JsonRpcException(JsonRpcErrorCodes.RESOURCE_NOT_FOUND, "Resource not found");
    }

    private JsonNode complete(ObjectNode params, RequestContext context) {
        JsonNode ref = params.path("ref");
        return switch (ref.path("type").asString("")) {
            case "ref/prompt" -> {
                String name = text(ref, "name", "params.ref.name");
                Link link = owner(name).orElseThrow(() -> JsonRpcException.invalidParams("Unknown prompt: " + name));
                ObjectNode upstreamParams = params.deepCopy();
                upstreamParams.set("ref", unprefixed((ObjectNode) ref, link, name));
                yield forward(link, "completion/complete", upstreamParams, context);
            }
            case "ref/resource" -> byUri("completion/complete", params, text(ref, "uri", "params.ref.uri"), context);
            default -> throw JsonRpcException.invalidParams("params.ref.type must be ref/prompt or ref/resource");
        };
    }

    /** The level goes to every upstream that logs; the engine keeps it for the session too. */
    private JsonNode setLevel(ObjectNode params, RequestContext context) {
        for (Link link : links) {
            if (declares(link, "logging")) {
                try {
                    forward(link, "logging/setLevel", params, context);
                } catch (JsonRpcException e) {
                    LOG.info("Upstream '{}' refused logging/setLevel: {}", link.name(), LogText.neutralise(e.getMessage()));
                }
            }
        }
        return Json.object();
    }

    // --- one request ----------------------------------------------------------------------------------------

    /**
     * Sends one request and waits for its answer (the upstream session bounds the wait by its timeout). The client's
     * cancellation interrupts this thread, which cancels the upstream request.
     */
    private JsonNode forward(Link link, String method, ObjectNode params, RequestContext context) {
        UpstreamCall call = link.session().request(method, params, new RequestListener(context));
        try {
            return call.result().get();
        } catch (InterruptedException e) {
            call.cancel("The client cancelled the request");
            Thread.currentThread().interrupt();
            throw new JsonRpcException(JsonRpcErrorCodes.INTERNAL_ERROR, "Request cancelled");
        } catch (ExecutionException e) {
            throw rpcError(e.getCause());
        }
    }

    private static ObjectNode await(CompletableFuture<ObjectNode> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsonRpcException(JsonRpcErrorCodes.INTERNAL_ERROR, "Request cancelled");
        } catch (ExecutionException e) {
            throw rpcError(e.getCause());
        }
    }

    private static JsonRpcException rpcError(Throwable cause) {
        if (cause instanceof UpstreamException u) {
            return new JsonRpcException(u.code(), u.getMessage(), u.data().orElse(null));
        }
        LOG.error("Upstream request failed unexpectedly", cause);
        return new JsonRpcException(JsonRpcErrorCodes.INTERNAL_ERROR, "Internal error");
    }

    /** The client's roots changed: every upstream session that has started hears it (best effort). */
    public void rootsChanged() {
        initialized.keySet().forEach(link -> link.session().notify("notifications/roots/list_changed", Json.object()));
    }

    /** Closes every upstream session of this client (HTTP DELETE, stdio child stopped). */
    public void close() {
        links.forEach(link -> link.session().close());
    }

    // --- what upstreams send --------------------------------------------------------------------------------

    /** What an upstream sends about one request: onto that request's stream. */
    private final class RequestListener implements UpstreamListener {
        private final RequestContext context;

        RequestListener(RequestContext context) {
            this.context = context;
        }

        @Override
        public void onNotification(String method, ObjectNode params) {
            switch (method) {
                case "notifications/progress" -> {
                    JsonNode progress = params.get("progress");
                    if (progress != null && progress.isNumber()) {
                        JsonNode total = params.get("total");
                        context.progress(progress.asDouble(), total != null && total.isNumber() ? total.asDouble() : null,
                                params.path("message").asString(null));
                    }
                }
                case "notifications/message" -> LogLevel.parse(params.path("level").asString(""))
                        .ifPresent(level -> context.log(level, params.path("logger").asString(null), params.get("data")));
                default -> {
                    if (SESSION_NOTIFICATIONS.contains(method)) {
                        client.notify(method, params);
                    }
                }
            }
        }

        @Override
        public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
            return askClient(method, () -> context.request(method, params, CLIENT_ANSWER_TIMEOUT));
        }
    }

    /** What an upstream sends outside any request: onto the client session's standalone stream. */
    private final class SessionListener implements UpstreamListener {
        private final String upstream;

        SessionListener(String upstream) {
            this.upstream = upstream;
        }

        @Override
        public void onNotification(String method, ObjectNode params) {
            if (SESSION_NOTIFICATIONS.contains(method)) {
                client.notify(method, params);
            } else {
                LOG.debug("Dropped {} from upstream '{}': not one a gateway relays outside a call", LogText.neutralise(method),
                        upstream);
            }
        }

        @Override
        public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
            return askClient(method, () -> client.request(method, params, CLIENT_ANSWER_TIMEOUT));
        }

        @Override
        public void onEnded(String reason) {
            LOG.info("Upstream '{}' ended a client's session ({}); the client will initialize again", upstream,
                    LogText.neutralise(reason));
            client.end();
        }
    }

    /**
     * A request to the client, on a thread of its own (listeners must return at once); its failure goes back upstream.
     * Only what a server may ask a client, and only when the client declared the capability: an upstream cannot use
     * the gateway to send the client anything else.
     */
    private CompletableFuture<JsonNode> askClient(String method, java.util.function.Supplier<JsonNode> ask) {
        String capability = CLIENT_METHODS.get(method);
        if (capability == null || !client.clientCapabilities().has(capability)) {
            return CompletableFuture.failedFuture(UpstreamException.errorResponse(JsonRpcErrorCodes.METHOD_NOT_FOUND,
                    "Method not found: the client cannot answer " + LogText.neutralise(method), null));
        }
        if (openClientRequests.incrementAndGet() > MAX_OPEN_CLIENT_REQUESTS) {
            openClientRequests.decrementAndGet();
            return CompletableFuture.failedFuture(UpstreamException.errorResponse(JsonRpcErrorCodes.INTERNAL_ERROR,
                    "Too many requests to the client at once (at most " + MAX_OPEN_CLIENT_REQUESTS + ")", null));
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("gatehouse-relay-client-request").start(() -> {
            try {
                answer.complete(ask.get());
            } catch (ClientRequestException e) {
                answer.completeExceptionally(UpstreamException.errorResponse(JsonRpcErrorCodes.INTERNAL_ERROR,
                        e.getMessage(), null));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            } finally {
                openClientRequests.decrementAndGet(); // only now: a request the upstream cancelled still waits here
            }
        });
        return answer;
    }
}
