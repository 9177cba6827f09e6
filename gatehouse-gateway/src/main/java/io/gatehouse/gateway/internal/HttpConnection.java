package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamConfigException;
import io.gatehouse.gateway.UpstreamException;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.log.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import io.gatehouse.mcp.context.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One upstream session over Streamable HTTP (MCP 2025-11-25 transports): every message is a POST; a request's
 * answer comes as one JSON body or as an SSE stream that may carry related notifications and requests before the
 * response; {@code Mcp-Session-Id} and {@code MCP-Protocol-Version} go on every request after initialize; a GET
 * stream receives what the upstream sends outside any request; {@code DELETE} ends the session. Headers sent: the
 * protocol's own, the configured static headers and Gatehouse's configured credentials, nothing of the client's.
 * Bodies and SSE events are read with a bound of max-message-bytes.
 */
final class HttpConnection extends Connection {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    private static final String ACCEPT = "application/json, text/event-stream";

    private final HttpClient client;
    private final CredentialHeader credentials;
    /** Who the session serves now (the caller of its latest request): whose token exchange uses. */
    private final Supplier<Caller> caller;
    private final Consumer<HttpConnection> onClosed;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile GetStream getStream;
    private boolean holdsSlot;

    HttpConnection(UpstreamConfig config, HealthTracker health, ObjectNode clientCapabilities, UpstreamListener listener,
                   HttpClient client, CredentialHeader credentials, Supplier<Caller> caller, Consumer<HttpConnection> onClosed) {
        super(config, health, clientCapabilities, listener);
        this.client = client;
        this.caller = caller;
        this.credentials = credentials;
        this.onClosed = onClosed;
    }

    @Override
    synchronized void open() {
        if (!holdsSlot) {
            if (!health.tryOpenSession(config.maxSessions())) {
                throw UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '" + config.name()
                        + "' already has " + config.maxSessions() + " sessions open (max-sessions)");
            }
            holdsSlot = true;
        }
        sessionId = null;
        protocolVersion = null;
        health.starting();
    }

    @Override
    void initializedWith(ObjectNode result) {
        protocolVersion = result.path("protocolVersion").asString();
    }

    /** Opens the GET stream before the session is reported ready, so nothing the upstream sends just after is lost. */
    @Override
    void ready() {
        if (sessionId == null) {
            return;
        }
        GetStream stream = new GetStream(config.name(), client, new GetStream.Session() {
            @Override
            public HttpRequest.Builder request() {
                return base();
            }

            @Override
            public String readEvents(InputStream in) throws IOException {
                return HttpConnection.this.readEvents(in, null);
            }

            @Override
            public boolean ended() {
                return HttpConnection.this.ended();
            }

            @Override
            public void forgotten() {
                end(UpstreamException.of(UpstreamException.Kind.SESSION_ENDED, "upstream '" + config.name()
                        + "' no longer knows this session (HTTP 404)"), true);
            }
        });
        getStream = stream;
        stream.open(Duration.ofMillis(Math.min(config.timeout().toMillis(), 5000)));
    }

    @Override
    void transmit(JsonRpcMessage message, Pending request) {
        byte[] body = JsonRpcCodec.write(message);
        HttpResponse<InputStream> response;
        try {
            HttpRequest.Builder post = base().POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json");
            // the request's own timer (Connection) fails it and aborts the stream; this only bounds a hung exchange
            post.timeout(request == null ? config.timeout() : config.timeout().multipliedBy(MAX_TIMEOUT_FACTOR));
            response = client.send(post.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | UpstreamConfigException | UpstreamException e) {
            UpstreamException failure = e instanceof UpstreamException u ? u : unreachable(e);
            if (failure.kind() != UpstreamException.Kind.NO_CALLER_TOKEN) {
                health.failure(failure.getMessage()); // one caller's token that cannot be exchanged is not the upstream's fault
            }
            if (request != null) {
                request.fail(failure);
            } else {
                LOG.debug("{}", failure.getMessage());
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (InputStream in = response.body()) {
            if (request != null) {
                request.abort = () -> closeQuietly(in);
                if (request.method.equals("initialize")) {
                    sessionId = response.headers().firstValue("Mcp-Session-Id").filter(HttpConnection::visibleAscii).orElse(null);
                }
            }
            handle(response, in, request);
        } catch (IOException e) {
            if (request != null) {
                request.fail(UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '" + config.name()
                        + "' broke off its answer to " + request.method));
            }
        }
    }

    private void handle(HttpResponse<InputStream> response, InputStream in, Pending request) throws IOException {
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (status == 404 && sessionId != null && request != null && !request.method.equals("initialize")) {
            end(UpstreamException.of(UpstreamException.Kind.SESSION_ENDED, "upstream '" + config.name()
                    + "' no longer knows this session (HTTP 404)"), true);
            return;
        }
        if (status == 401) {
            credentials.invalidate();
        }
        if (status == 202 || request == null && status / 100 == 2) {
            return;
        }
        if (status == 200 && type.startsWith("text/event-stream")) {
            String lastEventId = readEvents(in, request);
            if (request != null && !request.future.isDone() && lastEventId != null) {
                resume(request, lastEventId);
            }
        } else if (type.startsWith("application/json")) {
            byte[] body = in.readNBytes(config.maxMessageBytes() + 1);
            if (body.length > config.maxMessageBytes()) {
                fail(request, UpstreamException.of(UpstreamException.Kind.OVERSIZED, "upstream '" + config.name()
                        + "' answered with more than " + config.maxMessageBytes() + " bytes"));
                return;
            }
            deliver(body, request);
        }
        if (request != null && !request.future.isDone()) {
            fail(request, UpstreamException.of(status == 401 || status == 403 ? UpstreamException.Kind.UNAVAILABLE
                    : UpstreamException.Kind.PROTOCOL, "upstream '" + config.name() + "' answered " + request.method
                    + " with HTTP " + status + (status == 401 || status == 403 ? " (it refused Gatehouse's credentials)" : "")
                    + (status == 200 ? " but no response" : "")));
        }
    }

    /** Reads a stream's events until it ends or {@code request} is answered; returns the last event id seen. */
    private String readEvents(InputStream in, Pending request) throws IOException {
        SseReader events = new SseReader(in, config.maxMessageBytes());
        byte[] data;
        while ((data = events.next()) != null) {
            if (data == BoundedLineReader.OVERSIZED) {
                fail(request, UpstreamException.of(UpstreamException.Kind.OVERSIZED, "upstream '" + config.name()
                        + "' sent an event larger than " + config.maxMessageBytes() + " bytes"));
                if (request != null) {
                    return null;
                }
                continue;
            }
            deliver(data, request);
            if (request != null && request.future.isDone()) {
                return null;
            }
        }
        String id = events.lastEventId();
        return id != null && !id.isEmpty() && id.length() <= 1024 && id.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? id : null;
    }

    /**
     * A request's SSE stream ended before its response, after events with ids: the upstream may close a stream early
     * and expects the client to resume it with GET and {@code Last-Event-ID} (2025-11-25 transports, resumability).
     * A few attempts, each bounded by the request's own timeout.
     */
    private void resume(Pending request, String lastEventId) {
        String last = lastEventId;
        for (int attempt = 0; attempt < 5 && !request.future.isDone() && !ended(); attempt++) {
            try {
                HttpResponse<InputStream> response = client.send(base().GET().header("Accept", "text/event-stream")
                        .header("Last-Event-ID", last).build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    request.abort = () -> closeQuietly(in);
                    if (response.statusCode() != 200
                            || !response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                        return;
                    }
                    String next = readEvents(in, request);
                    if (next != null) {
                        last = next;
                    }
                }
            } catch (IOException | UpstreamConfigException | UpstreamException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void deliver(byte[] data, Pending request) {
        try {
            receive(JsonRpcCodec.parse(data), request);
        } catch (JsonRpcException e) {
            LOG.warn("upstream {} sent something that is not a JSON-RPC message: {}", config.name(),
                    LogText.neutralise(e.getMessage()));
        }
    }

    private void fail(Pending request, UpstreamException error) {
        if (request != null) {
            request.fail(error);
        } else {
            LOG.warn("{}", error.getMessage());
        }
    }

    private HttpRequest.Builder base() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(config.url().orElseThrow()).header("Accept", ACCEPT);
        config.headers().forEach(builder::header);
        credentials.header(caller.get()).ifPresent(header -> builder.header(header.getKey(), header.getValue()));
        String id = sessionId;
        if (id != null) {
            builder.header("Mcp-Session-Id", id);
        }
        String version = protocolVersion;
        if (version != null) {
            builder.header("MCP-Protocol-Version", version);
        }
        return builder;
    }

    private UpstreamException unreachable(Exception e) {
        String why = e instanceof UpstreamConfigException ? e.getMessage()
                : e instanceof ConnectException || e instanceof HttpConnectTimeoutException ? "cannot connect to " + config.shownUrl().orElseThrow()
                : e instanceof HttpTimeoutException ? "no answer within " + config.timeout().toMillis() + " ms"
                : e.getClass().getSimpleName();
        UpstreamException.Kind kind = e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException)
                ? UpstreamException.Kind.TIMEOUT : UpstreamException.Kind.UNAVAILABLE;
        return UpstreamException.of(kind, "upstream '" + config.name() + "' is unavailable: " + why);
    }

    @Override
    void shutdown(boolean graceful) {
        String id = sessionId;
        GetStream stream = getStream;
        if (stream != null) {
            stream.close();
        }
        synchronized (this) {
            if (holdsSlot) {
                holdsSlot = false;
                health.sessionClosed();
            }
        }
        if (ended()) {
            onClosed.accept(this);
        }
        if (graceful && id != null) {
            Connection.VIRTUAL.execute(() -> {
                try {
                    client.send(base().DELETE().timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                } catch (IOException | UpstreamConfigException | UpstreamException e) {
                    LOG.debug("upstream {}: DELETE of the session failed: {}", config.name(), e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private static boolean visibleAscii(String value) {
        return !value.isEmpty() && value.length() <= 256 && value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing an aborted stream
        }
    }
}
