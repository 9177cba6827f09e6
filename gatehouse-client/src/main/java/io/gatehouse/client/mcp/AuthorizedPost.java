package io.gatehouse.client.mcp;

import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import io.gatehouse.client.oauth.OAuthClientException;
import io.gatehouse.client.oauth.WwwAuthenticate;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of the client, the same in both eras: every message is a POST with the bearer token in the
 * {@code Authorization} header (CL-09); a 401 runs the authorization flow once, a 403 {@code insufficient_scope}
 * re-authorizes with the union of scopes at most {@link McpClient#MAX_STEP_UPS} times (CL-03), but only when the
 * challenge names a scope the token lacks: a refusal that names none (the operation needs a role the user lacks)
 * or only scopes already held cannot be cured by logging in again, so it is reported at once, with the server's
 * {@code error_description}, instead of opening a login the user would wait on for nothing. Each attempt gets
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
                Set<String> held = authorizer.heldScopes(url);
                if (namesScopeNotHeld(challenge.get(), held)) {
                    stepUps++;
                    token = Optional.of(authorizer.authorize(url, challenge, held));
                    continue;
                }
                throw new OAuthClientException("the server refused access (403): " + described(response, challenge)
                        + " (no scope to ask for that this login lacks, so logging in again would not help)");
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new OAuthClientException("the server refused access (" + response.statusCode() + "): " + described(response, challenge));
            }
            if (legacy) {
                response.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = Optional.of(s));
            }
            return Reply.read(response, id);
        }
    }

    /** Whether stepping up could help: the challenge asks for a scope the token held does not have. */
    static boolean namesScopeNotHeld(WwwAuthenticate challenge, Set<String> held) {
        return challenge.scope().map(s -> Arrays.stream(s.split(" ")).filter(w -> !w.isBlank()).anyMatch(w -> !held.contains(w)))
                .orElse(false);
    }

    /** The server's own words: the challenge's {@code error_description}, else the whole challenge. */
    private static String described(HttpResponse<String> response, Optional<WwwAuthenticate> challenge) {
        return Http.excerpt(challenge.flatMap(WwwAuthenticate::errorDescription)
                .orElseGet(() -> response.headers().firstValue("WWW-Authenticate").orElse("no challenge")), 300);
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
