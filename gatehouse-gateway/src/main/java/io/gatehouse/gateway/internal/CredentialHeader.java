package io.gatehouse.gateway.internal;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamCredentials;
import io.gatehouse.gateway.UpstreamException;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.DownstreamTokenException;
import io.gatehouse.mcp.context.DownstreamTokens;
import io.gatehouse.mcp.internal.log.LogText;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Authorization} (or other) header carrying Gatehouse's own credentials for one HTTP upstream: a static
 * value read from an environment variable or file, or a client-credentials access token obtained with the Nimbus
 * OAuth SDK, cached until 30 s before it expires (5 minutes when the token endpoint gives no lifetime) and dropped
 * when the upstream answers 401. The secret and the token are never logged. Thread-safe.
 */
final class CredentialHeader {

    private static final Duration EARLY = Duration.ofSeconds(30);
    private static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(5);

    private final UpstreamConfig config;
    private final Map<String, String> environment;
    private final Clock clock;
    private final DownstreamTokens downstreamTokens;
    private String token;
    private Instant refreshAt = Instant.MIN;

    CredentialHeader(UpstreamConfig config, Map<String, String> environment, Clock clock) {
        this(config, environment, clock, DownstreamTokens.NONE);
    }

    CredentialHeader(UpstreamConfig config, Map<String, String> environment, Clock clock, DownstreamTokens downstreamTokens) {
        this.downstreamTokens = downstreamTokens;
        this.config = config;
        this.environment = environment;
        this.clock = clock;
    }

    /**
     * The header's name and value, or empty without credentials; an UpstreamException when it cannot be had.
     *
     * @param caller who the request is for: with token exchange, whose token is exchanged
     */
    Optional<Map.Entry<String, String>> header(Caller caller) {
        return switch (config.credentials()) {
            case UpstreamCredentials.None none -> Optional.empty();
            case UpstreamCredentials.TokenExchange exchange -> Optional.of(Map.entry("Authorization", exchanged(exchange, caller)));
            case UpstreamCredentials.StaticHeader h -> Optional.of(Map.entry(h.header(), h.headerValue(environment)));
            case UpstreamCredentials.ClientCredentials c -> Optional.of(Map.entry("Authorization", "Bearer " + token(c)));
        };
    }

    private String exchanged(UpstreamCredentials.TokenExchange exchange, Caller caller) {
        try {
            return downstreamTokens.token(caller, exchange.downstream()).authorizationHeader();
        } catch (DownstreamTokenException e) {
            throw UpstreamException.of(UpstreamException.Kind.NO_CALLER_TOKEN, "upstream '" + config.name()
                    + "': no token for the caller (" + e.getMessage() + ")");
        }
    }

    /** The upstream refused the current token: get a new one next time. */
    synchronized void invalidate() {
        token = null;
        refreshAt = Instant.MIN;
    }

    private synchronized String token(UpstreamCredentials.ClientCredentials c) {
        Instant now = clock.instant();
        if (token != null && now.isBefore(refreshAt)) {
            return token;
        }
        AccessToken fresh = request(c);
        Duration lifetime = fresh.getLifetime() > 0 ? Duration.ofSeconds(fresh.getLifetime()) : UNKNOWN_LIFETIME;
        token = fresh.getValue();
        refreshAt = now.plus(lifetime.compareTo(EARLY.multipliedBy(2)) > 0 ? lifetime.minus(EARLY) : lifetime.dividedBy(2));
        return token;
    }

    private AccessToken request(UpstreamCredentials.ClientCredentials c) {
        String secret = c.clientSecret().read(environment).strip();
        TokenRequest.Builder builder = new TokenRequest.Builder(c.tokenEndpoint(),
                new ClientSecretBasic(new ClientID(c.clientId()), new Secret(secret)), new ClientCredentialsGrant());
        if (!c.scope().isEmpty()) {
            builder.scope(Scope.parse(c.scope()));
        }
        c.resource().ifPresent(builder::resources);
        TokenRequest request = builder.build();
        HTTPRequest http = request.toHTTPRequest();
        int millis = (int) Math.min(config.timeout().toMillis(), 10_000);
        http.setConnectTimeout(millis);
        http.setReadTimeout(millis);
        http.setFollowRedirects(false);
        try {
            TokenResponse response = TokenResponse.parse(http.send());
            if (!response.indicatesSuccess()) {
                ErrorObject error = response.toErrorResponse().getErrorObject();
                throw UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '" + config.name()
                        + "': the token endpoint refused Gatehouse's client credentials (HTTP " + error.getHTTPStatusCode()
                        + ", " + LogText.neutralise(String.valueOf(error.getCode())) + ")");
            }
            return response.toSuccessResponse().getTokens().getAccessToken();
        } catch (IOException e) {
            throw UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '" + config.name()
                    + "': cannot reach the token endpoint " + c.tokenEndpoint() + " (" + e.getClass().getSimpleName() + ")");
        } catch (ParseException e) {
            throw UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '" + config.name()
                    + "': the token endpoint's answer is not a valid token response");
        }
    }
}
