package io.gatehouse.server.internal.downstream;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.gatehouse.mcp.context.DownstreamToken;
import io.gatehouse.mcp.context.DownstreamTokenException;
import io.gatehouse.mcp.context.SubjectToken;
import io.gatehouse.mcp.internal.log.LogText;
import io.gatehouse.server.internal.config.DownstreamConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An external authorization server's RFC 8693 token exchange (Keycloak's standard token exchange, ...): a
 * {@link TokenRequest} with a {@link TokenExchangeGrant} built by the Nimbus SDK, Gatehouse authenticating with
 * {@code client_secret_basic}, sent over the JDK's HTTP client (no redirects, timeouts) with every answer read up to a
 * bound. The token endpoint comes from the configuration, or from the issuer's metadata (RFC 8414, then OpenID
 * Connect discovery), looked up once it is first needed and kept.
 */
final class RemoteTokenSource implements TokenSource {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(5);
    private static final TokenTypeURI ACCESS_TOKEN = TokenTypeURI.ACCESS_TOKEN;

    private final DownstreamConfig.External config;
    private final Clock clock;
    private final HttpClient http;
    private volatile URI tokenEndpoint;

    RemoteTokenSource(DownstreamConfig.External config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.tokenEndpoint = config.tokenEndpoint().orElse(null);
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build();
    }

    @Override
    public DownstreamToken exchange(SubjectToken subject, String audience, Optional<Set<String>> scopes) {
        URI endpoint = tokenEndpoint();
        TokenExchangeGrant grant = new TokenExchangeGrant(new TypelessToken(subject.value()), ACCESS_TOKEN, null, null,
                ACCESS_TOKEN, List.of(new Audience(audience)));
        TokenRequest.Builder builder = new TokenRequest.Builder(endpoint, new ClientSecretBasic(new ClientID(config.clientId()),
                new Secret(config.clientSecret().value())), grant);
        scopes.filter(s -> !s.isEmpty()).ifPresent(s -> builder.scope(new Scope(s.toArray(String[]::new))));
        Instant now = clock.instant();
        TokenResponse response;
        try {
            response = TokenResponse.parse(send(builder.build().toHTTPRequest()));
        } catch (ParseException e) {
            throw new DownstreamTokenException("the token endpoint's answer to the token exchange is not a token response");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new DownstreamTokenException("the authorization server refused the token exchange: "
                    + shown(String.valueOf(error.getCode())) + (error.getDescription() == null ? ""
                    : " (" + shown(error.getDescription()) + ")"));
        }
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        Duration lifetime = token.getLifetime() > 0 ? Duration.ofSeconds(token.getLifetime()) : UNKNOWN_LIFETIME;
        return new DownstreamToken(token.getValue(), audience, now.plus(lifetime));
    }

    private URI tokenEndpoint() {
        URI known = tokenEndpoint;
        if (known != null) {
            return known;
        }
        URI issuer = config.issuer().orElseThrow();
        String path = issuer.getRawPath() == null ? "" : issuer.getRawPath().replaceAll("/$", "");
        List<URI> candidates = List.of(issuer.resolve("/.well-known/oauth-authorization-server" + path),
                URI.create(issuer.toString().replaceAll("/$", "") + "/.well-known/openid-configuration"));
        for (URI where : candidates) {
            Optional<URI> found = discover(issuer, where);
            if (found.isPresent()) {
                tokenEndpoint = found.get();
                return found.get();
            }
        }
        throw new DownstreamTokenException("the authorization server " + issuer + " publishes no usable metadata with a "
                + "token endpoint");
    }

    private Optional<URI> discover(URI issuer, URI where) {
        HTTPResponse answer = send(new HTTPRequest(HTTPRequest.Method.GET, where));
        if (answer.getStatusCode() != 200) {
            return Optional.empty();
        }
        try {
            AuthorizationServerMetadata metadata = AuthorizationServerMetadata.parse(answer.getBody());
            URI endpoint = metadata.getTokenEndpointURI();
            if (!metadata.getIssuer().getValue().equals(issuer.toString()) || endpoint == null || !usable(endpoint)) {
                return Optional.empty();
            }
            return Optional.of(endpoint);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** An https endpoint, or http on a loopback name, as the configuration's own URLs must be. */
    private static boolean usable(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        return scheme.equals("https") || scheme.equals("http")
                && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    /** Sends a Nimbus request with the JDK client: no redirects, a timeout, and at most {@link #MAX_ANSWER_BYTES} read. */
    private HTTPResponse send(HTTPRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI()).timeout(TIMEOUT);
        request.getHeaderMap().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        builder.method(request.getMethod().name(), request.getBody() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.getBody()));
        try {
            HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
            if (body.length > MAX_ANSWER_BYTES) {
                throw new DownstreamTokenException("the authorization server's answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            HTTPResponse out = new HTTPResponse(response.statusCode());
            response.headers().firstValue("Content-Type").ifPresent(type -> out.setHeader("Content-Type", type));
            out.setBody(new String(body, StandardCharsets.UTF_8));
            return out;
        } catch (IOException e) {
            throw new DownstreamTokenException("the authorization server cannot be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamTokenException("interrupted while asking the authorization server");
        }
    }

    private static String shown(String text) {
        String neutral = LogText.neutralise(text);
        return neutral.length() > 200 ? neutral.substring(0, 200) + "…" : neutral;
    }
}
