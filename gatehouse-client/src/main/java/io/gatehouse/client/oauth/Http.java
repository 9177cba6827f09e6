package io.gatehouse.client.oauth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's HTTP: no automatic redirects (every hop is checked), JSON and forms, and two bounds on every
 * exchange that a hostile server cannot stretch: a body size limit (the read stops there) and a deadline for the
 * whole exchange, body included ({@link HttpRequest#timeout} only covers the wait for the response headers, so a
 * body dripped one byte a second would otherwise hold the client forever).
 */
public final class Http {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** What one exchange may take: at most {@code maxBytes} of body, all within {@code deadline}. */
    public record Limits(long maxBytes, Duration deadline) {
        /** Discovery and metadata documents, registrations, token responses: small JSON documents. */
        public static final Limits DOCUMENT = new Limits(1L << 20, Duration.ofSeconds(15));
        /** MCP responses: tool results may carry media, and a tool may take a while. */
        public static final Limits MCP = new Limits(16L << 20, Duration.ofSeconds(120));
    }

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public HttpResponse<String> get(URI uri, String... headers) {
        return send(HttpRequest.newBuilder(uri).headers(withAccept(headers)).GET());
    }

    public HttpResponse<String> postJson(URI uri, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> postForm(URI uri, Map<String, String> form, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    /** Sends with the {@link Limits#DOCUMENT} bounds. */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, Limits.DOCUMENT);
    }

    /** Sends and reads the whole answer within {@code limits}, or fails with a message naming the bound exceeded. */
    public HttpResponse<String> send(HttpRequest.Builder request, Limits limits) {
        HttpRequest built = request.timeout(limits.deadline()).build();
        BoundedBody.Handler body = new BoundedBody.Handler(limits.maxBytes());
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(built, body);
        try {
            return exchange.get(limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort(exchange, body);
            throw new OAuthClientException(built.uri() + " did not answer completely within " + limits.deadline().toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure(built.uri(), limits, e.getCause());
        } catch (InterruptedException e) {
            abort(exchange, body);
            Thread.currentThread().interrupt();
            throw new OAuthClientException("interrupted");
        }
    }

    private static void abort(CompletableFuture<?> exchange, BoundedBody.Handler body) {
        body.cancel();
        exchange.cancel(true);
    }

    private static OAuthClientException failure(URI uri, Limits limits, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLarge) {
                return new OAuthClientException("the answer of " + uri + " is larger than " + (limits.maxBytes() >> 10)
                        + " KiB: refusing to read it");
            }
            if (t instanceof HttpTimeoutException) {
                return new OAuthClientException(uri + " did not answer within " + limits.deadline().toSeconds() + " s");
            }
        }
        return new OAuthClientException("cannot reach " + uri + ": " + (cause instanceof IOException && cause.getMessage() != null
                ? cause.getMessage() : String.valueOf(cause)));
    }

    public static JsonNode json(HttpResponse<String> response, String what) {
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new OAuthClientException(what + " is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new OAuthClientException(what + " is not valid JSON");
        }
    }

    /** The start of a server-supplied text, for an error message: at most {@code max} characters, on one line. */
    public static String excerpt(String text, int max) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() > max ? flat.substring(0, max) + "..." : flat;
    }

    public static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String[] withAccept(String[] headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Accept";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }
}
