package io.gatehouse.client.mcp;

import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import io.gatehouse.client.oauth.OAuthClientException;
import io.gatehouse.client.oauth.WwwAuthenticate;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of the client, the same in both eras: every message is a POST with the bearer token in the
 * {@code Authorization} header (CL-09); a 401 runs the authorization flow once, a 403 {@code insufficient_scope}
 * re-authorizes with the union of scopes at most {@link McpClient#MAX_STEP_UPS} times (CL-03). Each attempt gets
 * a fresh JSON-RPC id. A legacy exchange remembers the session the server assigns; a modern one ignores it.
 */
final class AuthorizedPost {

    private final URI url;
    private final Http http;
    private final McpAuthorizer authorizer;
    private final AtomicLong ids = new AtomicLong();
    private Optional<String> token;
    private Optional<String> sessionId = Optional.empty();

    AuthorizedPost(URI url, Http http, McpAuthorizer authorizer) {
        this.url = url;
        this.http = http;
        this.authorizer = authorizer;
        this.token = authorizer.storedToken(url);
    }

    Optional<String> sessionId() {
        return sessionId;
    }

    /** POSTs the message built for a fresh id (authorizing and stepping up as needed) and reads the answer to it. */
    Reply exchange(LongFunction<ObjectNode> message, Map<String, String> headers, boolean legacy) {
        int stepUps = 0;
        boolean authorized = false;
        while (true) {
            long id = ids.incrementAndGet();
            HttpResponse<String> response = post(message.apply(id).toString(), headers);
            Optional<WwwAuthenticate> challenge = WwwAuthenticate.parse(response.headers().firstValue("WWW-Authenticate").orElse(null));
            if (response.statusCode() == 401 && !authorized) {
                token = Optional.of(authorizer.authorize(url, challenge, Set.of()));
                authorized = true;
                continue;
            }
            if (response.statusCode() == 403 && challenge.flatMap(WwwAuthenticate::error).orElse("").equals("insufficient_scope")
                    && stepUps < McpClient.MAX_STEP_UPS) {
                stepUps++;
                token = Optional.of(authorizer.authorize(url, challenge, authorizer.heldScopes(url)));
                continue;
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new OAuthClientException("the server refused access (" + response.statusCode() + "): "
                        + Http.excerpt(response.headers().firstValue("WWW-Authenticate").orElse("no challenge"), 300));
            }
            if (legacy) {
                response.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = Optional.of(s));
            }
            return Reply.read(response, id);
        }
    }

    HttpResponse<String> post(String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        headers.forEach(request::header);
        return http.send(request, Http.Limits.MCP);
    }

    /** Ends the legacy session, if there is one (HTTP DELETE). */
    void endSession() {
        sessionId.ifPresent(s -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Mcp-Session-Id", s).DELETE();
            token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
            http.send(request);
        });
    }
}
