package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.log.LogText;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.DownstreamTokens;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.context.LogLevel;
import static io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes.INTERNAL_ERROR;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.mrtr.InputRound;
import io.gatehouse.mcp.internal.mrtr.RequestStateKey;
import io.gatehouse.mcp.internal.mrtr.RequestStateSeal;
import io.gatehouse.mcp.internal.server.AccessPolicy.Feature;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The MCP protocol engine: lifecycle, the feature methods and the notifications, dispatched by method name.
 * It knows nothing of HTTP: the transport hands it one parsed message with the session, the caller and a
 * sink for messages back to the client. Only the methods of registered features exist, and the capabilities
 * declared at initialize are computed from the same registrations.
 */
public final class McpServer {

    private static final Logger LOG = LoggerFactory.getLogger(McpServer.class);
    /** Longest resource URI accepted (subscriptions keep them for the session's life). */
    static final int MAX_URI = 2048;
    /** Methods 2026-07-28 removed (CL): a modern request for one is answered like any unknown method, 404 -32601. */
    private static final Set<String> REMOVED_IN_MODERN = Set.of("initialize", "ping", "logging/setLevel",
            "resources/subscribe", "resources/unsubscribe");

    @FunctionalInterface
    private interface Method {
        Object handle(ObjectNode params, HandlerContext context);
    }

    private final ObjectNode serverInfo;
    private final String instructions;
    private final ToolRegistry tools;
    private final PromptRegistry prompts;
    private final ResourceRegistry resources;
    private final Declarations declarations;
    private final int pageSize;
    private final boolean subscriptions;
    private final AccessPolicy accessPolicy;
    private final Set<String> stepUpScopes;
    private final Sessions sessions;
    private final Listeners listeners;
    private final SubscriptionsListen listen;
    private final ClientRequests clientRequests = new ClientRequests();
    private final RequestStateSeal stateSeal;
    private final Clock clock;
    private final DownstreamTokens downstreamTokens;
    private final ObjectNode capabilities;
    private final Map<String, Method> methods = new HashMap<>();
    /** The methods of 2026-07-28: the same features, {@code server/discover}, and none of the removed lifecycle (H-11). */
    private final Map<String, Method> modernMethods = new HashMap<>();
    private final ObjectNode modernCapabilities = Json.object();
    private final ModernResults modernResults;
    /** The upstreams' features, served instead of registered ones; null when the server serves its own. */
    private final RelayedFeatures relayed;
    /**
     * What the lists show of each registered tool, prompt, resource and template, copied once at build: the public
     * {@code descriptor()} hands out copies, so code holding a feature cannot change what clients are shown.
     */
    private final Map<Object, JsonNode> listed = new IdentityHashMap<>();

    private McpServer(Builder b) {
        this.stepUpScopes = Set.copyOf(b.stepUpScopes);
        this.downstreamTokens = b.downstreamTokens;
        this.serverInfo = Json.object();
        serverInfo.put("name", b.name);
        serverInfo.put("version", b.version);
        if (b.title != null) {
            serverInfo.put("title", b.title);
        }
        this.instructions = b.instructions;
        this.tools = new ToolRegistry(b.tools);
        this.prompts = new PromptRegistry(b.prompts);
        this.resources = new ResourceRegistry(b.resources, b.templates);
        this.declarations = new Declarations(tools, prompts, resources);
        this.tools.all().forEach(t -> listed.put(t, t.descriptor()));
        this.prompts.all().forEach(p -> listed.put(p, p.descriptor()));
        this.resources.resources().forEach(r -> listed.put(r, r.descriptor()));
        this.resources.templates().forEach(t -> listed.put(t, t.descriptor()));
        this.pageSize = b.pageSize;
        this.subscriptions = b.subscriptions;
        this.accessPolicy = b.accessPolicy;
        this.sessions = new Sessions(b.sessionIdleTimeout, b.maxSessions, b.maxSessionsPerPrincipal, b.clock);
        this.listeners = new Listeners(b.maxListeners, b.maxListenersPerPrincipal);
        this.listen = new SubscriptionsListen(resources, declarations, accessPolicy, listeners, b.clock);
        this.stateSeal = new RequestStateSeal(b.requestStateKey);
        this.clock = b.clock;
        this.capabilities = Json.object();
        this.modernResults = new ModernResults(serverInfo, accessPolicy != AccessPolicy.OPEN);
        this.relayed = b.relay == null ? null : new RelayedFeatures(b.relay, accessPolicy, sessions, clientRequests);
        if (relayed != null) {
            if (!tools.isEmpty() || !prompts.isEmpty() || !resources.isEmpty()) {
                throw new IllegalStateException("A server that relays serves no tools, prompts or resources of its own");
            }
            registerRelayed();
        } else {
            registerMethods();
            registerModernMethods();
        }
    }

    public static Builder builder(String name, String version) {
        return new Builder(name, version);
    }

    private void registerMethods() {
        methods.put("initialize", this::initialize);
        methods.put("ping", (params, ctx) -> Json.object());
        capabilities.putObject("logging");
        methods.put("logging/setLevel", this::setLevel);
        if (!tools.isEmpty()) {
            capabilities.putObject("tools").put("listChanged", false);
            methods.put("tools/list", (params, ctx) -> Pages.page("tools", tools.all().stream()
                    .filter(t -> accessPolicy.canSee(ctx.caller(), Feature.TOOL, t.name(), Declarations.of(t)))
                    .map(listed::get).toList(), params.get("cursor"), pageSize));
            methods.put("tools/call", tools::call);
        }
        if (!prompts.isEmpty()) {
            capabilities.putObject("prompts").put("listChanged", false);
            methods.put("prompts/list", (params, ctx) -> Pages.page("prompts", prompts.all().stream()
                    .filter(p -> accessPolicy.canSee(ctx.caller(), Feature.PROMPT, p.name(), Declarations.of(p)))
                    .map(listed::get).toList(), params.get("cursor"), pageSize));
            methods.put("prompts/get", prompts::get);
        }
        if (!resources.isEmpty()) {
            ObjectNode caps = capabilities.putObject("resources");
            caps.put("subscribe", subscriptions);
            caps.put("listChanged", false);
            methods.put("resources/list", (params, ctx) -> Pages.page("resources", resources.resources().stream()
                    .filter(r -> accessPolicy.canSee(ctx.caller(), Feature.RESOURCE, r.uri(), Declarations.of(r)))
                    .map(listed::get).toList(), params.get("cursor"), pageSize));
            methods.put("resources/templates/list", (params, ctx) -> Pages.page("resourceTemplates", resources.templates()
                    .stream()
                    .filter(t -> accessPolicy.canSee(ctx.caller(), Feature.RESOURCE_TEMPLATE, t.uriTemplate(), Declarations.of(t)))
                    .map(listed::get).toList(), params.get("cursor"), pageSize));
            methods.put("resources/read", this::readResource);
            if (subscriptions) {
                methods.put("resources/subscribe", this::subscribe);
                methods.put("resources/unsubscribe", this::unsubscribe);
            }
        }
        Completions completions = new Completions(prompts, resources);
        if (completions.any()) {
            capabilities.putObject("completions");
            methods.put("completion/complete", completions::complete);
        }
    }

    /**
     * A relaying server answers the lifecycle itself and hands every feature method to the relay; what it declares at
     * {@code initialize} is what the upstreams declare. It speaks the legacy revisions only: an upstream connection
     * lives as long as a client session, which 2026-07-28 does not have ({@link #servesModern}).
     */
    private void registerRelayed() {
        methods.put("initialize", this::initialize);
        methods.put("ping", (params, ctx) -> Json.object());
        for (String method : Relay.METHODS) {
            methods.put(method, method.equals("logging/setLevel")
                    ? (params, ctx) -> { // kept for the session as well: the engine filters what it relays by it
                        setLevel(params, ctx);
                        return relayed.handle(method, params, ctx);
                    }
                    : (params, ctx) -> relayed.handle(method, params, ctx));
        }
    }

    /** The upstream a relayed request goes to, when it can be told from the request alone (audit lines, counters). */
    public Optional<String> upstreamOf(JsonRpcMessage.Request request) {
        return relayed == null ? Optional.empty() : relayed.upstreamOf(request.method(), request.params());
    }

    /** Whether 2026-07-28 requests are served; when not, they are refused as an unsupported revision. */
    public boolean servesModern() {
        return relayed == null;
    }

    /** The revisions served: what {@code -32022} lists as supported. */
    public List<String> supportedVersions() {
        return servesModern() ? ProtocolVersions.ALL : ProtocolVersions.SUPPORTED;
    }

    /**
     * 2026-07-28 serves the same features without the lifecycle it removed, plus {@code server/discover} (D-1) and,
     * when there are resources, {@code subscriptions/listen}, which delivers resource updates on its own stream in
     * either session mode (S-1). It declares exactly what it serves (D-2): resource subscriptions whenever listen is
     * served, and no {@code listChanged}, as no list ever changes (S-5).
     */
    private void registerModernMethods() {
        modernMethods.putAll(methods);
        REMOVED_IN_MODERN.forEach(modernMethods::remove);
        modernMethods.put("server/discover", this::discover);
        modernCapabilities.setAll(capabilities.deepCopy());
        if (!resources.isEmpty()) {
            modernMethods.put(SubscriptionsListen.METHOD, listen::handle);
            ((ObjectNode) modernCapabilities.get("resources")).put("subscribe", true);
        }
    }

    /** The capabilities declared at initialize. */
    public ObjectNode capabilities() {
        return capabilities.deepCopy();
    }

    /** The capabilities a 2026-07-28 client is told of by {@code server/discover} ({@link #registerModernMethods}). */
    public ObjectNode modernCapabilities() {
        return modernCapabilities.deepCopy();
    }

    /**
     * Ends every {@code subscriptions/listen} stream gracefully (S-4): each answers its request with the final
     * result, then its stream ends. The transport calls this when the server shuts down.
     */
    public void endSubscriptions() {
        listeners.endAll();
    }

    public Sessions sessions() {
        return sessions;
    }

    /**
     * Every scope a registered tool, prompt, resource or resource template declares it needs ({@code requiredScopes}),
     * in registration order: what an authorization server must be able to grant for each of them to be usable.
     * Scopes a handler asks for only at run time ({@code ctx.caller().requireScope}) count when the builder was told
     * of them ({@link Builder#stepUpScopes}).
     */
    public Set<String> declaredScopes() {
        Set<String> scopes = new LinkedHashSet<>();
        tools.all().forEach(t -> scopes.addAll(t.requiredScopes()));
        prompts.all().forEach(p -> scopes.addAll(p.requiredScopes()));
        resources.resources().forEach(r -> scopes.addAll(r.requiredScopes()));
        resources.templates().forEach(t -> scopes.addAll(t.requiredScopes()));
        scopes.addAll(stepUpScopes);
        return Collections.unmodifiableSet(scopes);
    }

    /**
     * The authorization step the transport runs before {@link #handle}: empty when the caller may make this
     * request, else what it lacks. The access policy gets what the addressed tool, prompt, resource or template
     * declares, looked up here.
     */
    public Optional<AccessPolicy.Denial> authorize(JsonRpcMessage.Request request, Caller caller) {
        if (request.method().equals(SubscriptionsListen.METHOD) && modernMethods.containsKey(SubscriptionsListen.METHOD)) {
            return listen.authorize(caller, request.params()); // read permission for every subscribed URI
        }
        return accessPolicy.check(caller, request.method(), request.params(),
                declarations.addressedBy(request.method(), request.params()));
    }

    /**
     * Answers one request. Returns the response (a result or an error), or empty when the client cancelled the
     * request meanwhile (a cancelled request gets no response). Never throws for a handler's failure: an
     * unexpected exception becomes {@code -32603} with no detail for the client.
     *
     * @throws InsufficientScopeException when a handler finds at run time that the caller lacks a scope (step-up,
     *                                    SEP-2350): it passes through unchanged, on the calling thread, for the
     *                                    transport to answer with the 403 {@code insufficient_scope} challenge
     */
    public Optional<JsonRpcMessage> handle(JsonRpcMessage.Request request, McpSession session, Caller caller,
                                           MessageSink sink) {
        boolean modern = session.modern();
        Method method = (modern ? modernMethods : methods).get(request.method());
        if (method == null) {
            return Optional.of(error(request, JsonRpcException.methodNotFound(request.method()).error(), modern));
        }
        InputRound round = null;
        if (modern && InputRound.METHODS.contains(request.method())) {
            try {
                round = InputRound.of(request.method(), request.params(), caller, session.clientCapabilities(), stateSeal,
                        clock.instant());
            } catch (JsonRpcException e) {
                return Optional.of(error(request, e.error(), true));
            } catch (RuntimeException e) {
                LOG.error("Cannot open requestState: {}", e.toString()); // the key's fault, never the state's content
                return Optional.of(error(request, new JsonRpcError(INTERNAL_ERROR, "Internal error"), true));
            }
        }
        JsonNode progressToken = request.params().path("_meta").get("progressToken");
        HandlerContext context = new HandlerContext(caller, session, sink, progressToken, clientRequests, round,
                downstreamTokens);
        context.runningOn(Thread.currentThread());
        context.requestId(request.id());
        JsonNode key = request.id();
        session.started(key, context);
        try {
            Object result = method.handle(request.params(), context);
            return context.isCancelled() ? Optional.empty() : Optional.of(response(request, result, round, context, caller));
        } catch (JsonRpcException e) {
            return context.isCancelled() ? Optional.empty()
                    : Optional.of(context.needsInput() ? response(request, null, round, context, caller) : error(request, e.error(), modern));
        } catch (InsufficientScopeException e) {
            throw e;
        } catch (RuntimeException e) {
            if (context.isCancelled()) {
                return Optional.empty();
            }
            if (context.needsInput()) {
                return Optional.of(response(request, null, round, context, caller));
            }
            LOG.error("{} failed unexpectedly", request.method(), e);
            return Optional.of(error(request, new JsonRpcError(INTERNAL_ERROR, "Internal error"), modern));
        } finally {
            session.finished(key);
            Thread.interrupted(); // a cancellation must not leak into the next use of this thread
        }
    }

    /**
     * The handler's result, or the {@code InputRequiredResult} when it asked for input the request did not carry
     * (whatever it returned or threw after that: it could not have had the answers).
     */
    /**
     * The handler's result, or the {@code InputRequiredResult} when it asked for input the request did not carry (MRTR);
     * shaped for a 2026-07-28 client when the request is one.
     */
    private JsonRpcMessage response(JsonRpcMessage.Request request, Object result, InputRound round, HandlerContext context,
                                    Caller caller) {
        boolean modern = context.session().modern();
        Object answer = result;
        if (context.needsInput()) {
            try {
                answer = round.inputRequiredResult(stateSeal, clock.instant());
            } catch (RuntimeException e) {
                LOG.error("Cannot seal requestState: {}", e.toString());
                return error(request, new JsonRpcError(INTERNAL_ERROR, "Internal error"), modern);
            }
        }
        if (modern) {
            answer = modernResults.complete(request.method(), request.params(), answer, caller);
        }
        return new JsonRpcMessage.Response(request.id(), answer);
    }

    /** Handles a notification from the client. Unknown notifications are ignored, as JSON-RPC asks. */
    public void handleNotification(JsonRpcMessage.Notification notification, McpSession session) {
        switch (notification.method()) {
            case "notifications/cancelled" -> {
                JsonNode requestId = notification.params().get("requestId");
                if (requestId != null) {
                    session.inFlight(requestId).ifPresent(HandlerContext::cancel);
                }
            }
            case "notifications/roots/list_changed" -> {
                ClientChannel channel = session.channel();
                if (relayed != null && channel != null) {
                    relayed.rootsChanged(channel); // the upstreams ask for the roots again
                }
            }
            case "notifications/initialized" -> LOG.debug("client sent {}", notification.method());
            default -> LOG.debug("ignoring unknown notification {}", LogText.neutralise(notification.method()));
        }
    }

    /**
     * Routes a client's response to the server request it answers. Returns false when it answers nothing
     * pending on this session.
     */
    public boolean handleClientResponse(JsonRpcMessage response, McpSession session) {
        JsonNode id = switch (response) {
            case JsonRpcMessage.Response r -> r.id();
            case JsonRpcMessage.ErrorResponse r -> r.id();
            default -> throw new IllegalArgumentException("not a response: " + response);
        };
        return id != null && id.isString() && clientRequests.complete(id.stringValue(), response, session);
    }

    /**
     * Tells every subscribed session, and every {@code subscriptions/listen} stream that asked for this URI, that a
     * resource changed ({@code notifications/resources/updated}).
     */
    public void notifyResourceUpdated(String uri) {
        ObjectNode params = Json.object();
        params.put("uri", uri);
        sessions.broadcastTo(uri, new JsonRpcMessage.Notification("notifications/resources/updated", params));
        listeners.resourceUpdated(uri);
    }

    private Object initialize(ObjectNode params, HandlerContext context) {
        JsonNode requested = params.get("protocolVersion");
        if (requested == null || !requested.isString()) {
            throw JsonRpcException.invalidParams("params.protocolVersion must be a string");
        }
        McpSession session = context.session();
        session.protocolVersion(ProtocolVersions.negotiate(requested.stringValue()));
        session.initialized(params.get("capabilities"), params.get("clientInfo"));
        ObjectNode result = Json.object();
        result.put("protocolVersion", session.protocolVersion());
        if (relayed != null) {
            Relay.Handshake handshake = relayed.open(session, context.caller());
            result.set("capabilities", handshake.capabilities());
            result.set("serverInfo", serverInfo);
            handshake.instructions().ifPresent(text -> result.put("instructions", text));
            return result;
        }
        result.set("capabilities", capabilities);
        result.set("serverInfo", serverInfo);
        if (instructions != null) {
            result.put("instructions", instructions);
        }
        return result;
    }

    /** {@code server/discover} (D-1): the revisions of both eras, what is served, and the instructions. */
    private Object discover(ObjectNode params, HandlerContext context) {
        ObjectNode result = Json.object();
        result.set("supportedVersions", Json.MAPPER.valueToTree(ProtocolVersions.ALL));
        result.set("capabilities", modernCapabilities);
        if (instructions != null) {
            result.put("instructions", instructions);
        }
        return result;
    }

    private Object setLevel(ObjectNode params, HandlerContext context) {
        String level = params.path("level").stringValue(null);
        LogLevel parsed = LogLevel.parse(level)
                .orElseThrow(() -> JsonRpcException.invalidParams("Invalid log level: " + level));
        context.session().logLevel(parsed);
        return Json.object();
    }

    private Object readResource(ObjectNode params, HandlerContext context) {
        String uri = requireUri(params);
        ObjectNode result = Json.object();
        result.set("contents", Json.MAPPER.valueToTree(resources.read(uri, context)));
        return result;
    }

    private Object subscribe(ObjectNode params, HandlerContext context) {
        String uri = requireUri(params);
        if (!resources.exists(uri)) {
            throw ResourceRegistry.notFound(uri);
        }
        if (!context.session().subscribe(uri)) {
            throw JsonRpcException.invalidParams("A session may subscribe to at most " + McpSession.MAX_SUBSCRIPTIONS + " resources");
        }
        return Json.object();
    }

    private Object unsubscribe(ObjectNode params, HandlerContext context) {
        context.session().unsubscribe(requireUri(params));
        return Json.object();
    }

    private static String requireUri(ObjectNode params) {
        JsonNode uri = params.get("uri");
        if (uri == null || !uri.isString()) {
            throw JsonRpcException.invalidParams("params.uri must be a string");
        }
        if (uri.stringValue().length() > MAX_URI) {
            throw JsonRpcException.invalidParams("params.uri is longer than " + MAX_URI + " characters");
        }
        return uri.stringValue();
    }

    private JsonRpcMessage error(JsonRpcMessage.Request request, JsonRpcError error, boolean modern) {
        return new JsonRpcMessage.ErrorResponse(request.id(), modern ? modernResults.error(error) : error);
    }

    public static final class Builder {
        private final String name;
        private final String version;
        private String title;
        private String instructions;
        private final List<Tool> tools = new ArrayList<>();
        private final List<Prompt> prompts = new ArrayList<>();
        private final List<Resource> resources = new ArrayList<>();
        private final List<ResourceTemplate> templates = new ArrayList<>();
        private final Set<String> stepUpScopes = new LinkedHashSet<>();
        private int pageSize = 50;
        private boolean subscriptions = true;
        private AccessPolicy accessPolicy = AccessPolicy.OPEN;
        private Duration sessionIdleTimeout = Duration.ofMinutes(30);
        private int maxSessions = 10_000;
        private int maxSessionsPerPrincipal = 32;
        private int maxListeners = 1_000;
        private int maxListenersPerPrincipal = 8;
        private Clock clock = Clock.systemUTC();
        private RequestStateKey requestStateKey = RequestStateKey.ephemeral();
        private Relay relay;
        private DownstreamTokens downstreamTokens = DownstreamTokens.NONE;

        private Builder(String name, String version) {
            this.name = Objects.requireNonNull(name);
            this.version = Objects.requireNonNull(version);
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder instructions(String instructions) {
            this.instructions = instructions;
            return this;
        }

        public Builder tool(Tool tool) {
            tools.add(tool);
            return this;
        }

        public Builder prompt(Prompt prompt) {
            prompts.add(prompt);
            return this;
        }

        public Builder resource(Resource resource) {
            resources.add(resource);
            return this;
        }

        public Builder resourceTemplate(ResourceTemplate template) {
            templates.add(template);
            return this;
        }

        /** Scopes handlers ask for only at run time ({@code ctx.caller().requireScope}); see {@link #declaredScopes}. */
        public Builder stepUpScopes(Collection<String> scopes) {
            stepUpScopes.addAll(scopes);
            return this;
        }

        public Builder pageSize(int pageSize) {
            if (pageSize < 1) {
                throw new IllegalArgumentException("page size must be at least 1");
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * Whether legacy (2025) clients may subscribe to resource updates ({@code resources/subscribe}, delivered on the
         * session's GET stream). A stateless server has no such stream, so it must say no. A 2026-07-28 client's
         * {@code subscriptions/listen} carries the updates on its own stream and is served whenever there are resources.
         */
        public Builder subscriptions(boolean enabled) {
            this.subscriptions = enabled;
            return this;
        }

        /** Who may do what; {@link AccessPolicy#OPEN} (the default) when authentication is off. */
        public Builder accessPolicy(AccessPolicy policy) {
            this.accessPolicy = Objects.requireNonNull(policy);
            return this;
        }

        public Builder sessionIdleTimeout(Duration timeout) {
            this.sessionIdleTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Sessions held at once: {@code max} in all (more are refused with 503), {@code perPrincipal} per principal
         * (one more ends that principal's least recently used session). Defaults 10,000 and 32.
         */
        public Builder sessionLimits(int max, int perPrincipal) {
            if (max < 1 || perPrincipal < 1) {
                throw new IllegalArgumentException("session limits must be at least 1");
            }
            this.maxSessions = max;
            this.maxSessionsPerPrincipal = perPrincipal;
            return this;
        }

        /**
         * {@code subscriptions/listen} streams held at once: {@code max} in all (more are refused), {@code perPrincipal}
         * per principal (one more ends that principal's oldest gracefully). Defaults 1,000 and 8.
         */
        public Builder listenLimits(int max, int perPrincipal) {
            if (max < 1 || perPrincipal < 1) {
                throw new IllegalArgumentException("listen limits must be at least 1");
            }
            this.maxListeners = max;
            this.maxListenersPerPrincipal = perPrincipal;
            return this;
        }

        /**
         * The key that seals MRTR {@code requestState} (2026-07-28). Default: a random one of this process, which no
         * other node can open; servers that share traffic must share the key.
         */
        public Builder requestStateKey(RequestStateKey key) {
            this.requestStateKey = Objects.requireNonNull(key);
            return this;
        }

        /**
         * Serves the features of other MCP servers through {@code relay} instead of registered ones (the gateway): the
         * builder then registers no tools, prompts or resources.
         */
        public Builder relay(Relay relay) {
            this.relay = Objects.requireNonNull(relay);
            return this;
        }

        /** Where {@code ctx.downstreamToken(name)} gets its tokens; default: none configured. */
        public Builder downstreamTokens(DownstreamTokens tokens) {
            this.downstreamTokens = Objects.requireNonNull(tokens);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public McpServer build() {
            return new McpServer(this);
        }
    }
}
