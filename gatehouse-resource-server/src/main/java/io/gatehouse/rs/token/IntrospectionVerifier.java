package io.gatehouse.rs.token;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Verifies opaque or JWT tokens by asking the issuer (RFC 7662 token introspection), authenticating as a
 * confidential client with {@code client_secret_basic}. An active token must still be an access token (not a
 * refresh or ID token the endpoint also knows: {@link TokenTypes}), name this server in {@code aud} and the
 * configured issuer in {@code iss}, and carry {@code exp} and a non-empty {@code sub}. An endpoint that cannot be
 * reached (or answers 5xx) is remembered for {@link #FAILURE_MEMORY}, one that rate-limits this server (429) for its
 * {@code Retry-After} (at most {@link #MAX_RATE_LIMIT_MEMORY}): meanwhile requests fail at once (503 with that
 * {@code Retry-After}), instead of each waiting for its own timeout or feeding the rate limit.
 */
public final class IntrospectionVerifier implements TokenVerifier {

    /** How long an unreachable or failing introspection endpoint is not asked again. */
    static final Duration FAILURE_MEMORY = Duration.ofSeconds(5);
    /** The longest a 429's {@code Retry-After} keeps the endpoint from being asked. */
    static final Duration MAX_RATE_LIMIT_MEMORY = Duration.ofSeconds(60);
    private static final int TIMEOUT_MILLIS = 5_000;

    private final URI endpoint;
    private final ClientSecretBasic clientAuth;
    private final String issuer;
    private final List<String> audiences;
    private final ClaimsReader claims;
    private final TokenTypes types;
    private final Clock clock;
    private volatile long unavailableUntil = Long.MIN_VALUE;
    private volatile boolean failing;

    /** As the full constructor, accepting {@link TokenTypes#DEFAULT}. */
    public IntrospectionVerifier(URI endpoint, String clientId, String clientSecret, String issuer, List<String> audiences,
                                 ClaimsReader claims, Clock clock) {
        this(endpoint, clientId, clientSecret, issuer, audiences, claims, TokenTypes.DEFAULT, clock);
    }

    public IntrospectionVerifier(URI endpoint, String clientId, String clientSecret, String issuer, List<String> audiences,
                                 ClaimsReader claims, TokenTypes types, Clock clock) {
        if (!types.suitsIntrospection()) {
            throw new IllegalArgumentException("introspection answers carry no JWT header: accept Bearer or unmarked tokens");
        }
        this.endpoint = endpoint;
        this.clientAuth = new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret));
        this.issuer = issuer;
        this.audiences = List.copyOf(audiences);
        this.claims = claims;
        this.types = types;
        this.clock = clock;
    }

    @Override
    public AccessToken verify(String token) {
        long wait = unavailableUntil - System.nanoTime();
        if (failing && wait > 0) {
            throw new VerifierUnavailableException("introspection endpoint failing; not asked again yet", null, Duration.ofNanos(wait));
        }
        TokenIntrospectionResponse response;
        try {
            HTTPRequest request = new TokenIntrospectionRequest(endpoint, clientAuth, new BearerAccessToken(token)).toHTTPRequest();
            request.setConnectTimeout(TIMEOUT_MILLIS);
            request.setReadTimeout(TIMEOUT_MILLIS);
            HTTPResponse http = request.send();
            if (http.getStatusCode() == 429) {
                throw unreachable("introspection refused: HTTP 429 (rate limited)", null, retryAfter(http.getHeaderValue("Retry-After")));
            }
            response = TokenIntrospectionResponse.parse(http);
        } catch (IOException e) {
            throw unreachable("introspection failed: " + e.getMessage(), e, FAILURE_MEMORY);
        } catch (ParseException e) {
            throw new VerifierUnavailableException("introspection answer unreadable: " + e.getMessage(), e);
        }
        if (!response.indicatesSuccess()) {
            // only the endpoint's own failure (5xx) is remembered: a 4xx might be about this one request
            var error = response.toErrorResponse().getErrorObject();
            String message = "introspection refused: HTTP " + error.getHTTPStatusCode() + " " + error.getCode();
            throw error.getHTTPStatusCode() >= 500 ? unreachable(message, null, FAILURE_MEMORY) : new VerifierUnavailableException(message, null);
        }
        failing = false;
        TokenIntrospectionSuccessResponse success = response.toSuccessResponse();
        if (!success.isActive()) {
            throw new InvalidTokenException("introspection: token not active");
        }
        Map<String, Object> map = success.toJSONObject();
        types.checkIntrospected(map);
        AccessToken token1 = claims.readVerified(map);
        // a missing iss is not "any issuer": the token must say it comes from the configured one
        if (!token1.issuer().equals(issuer)) {
            throw new InvalidTokenException("introspection: wrong or missing issuer " + token1.issuer());
        }
        if (token1.audience().stream().noneMatch(audiences::contains)) {
            throw new InvalidTokenException("introspection: audience " + token1.audience() + " is not this server");
        }
        if (token1.expiresAt().equals(Instant.EPOCH)) {
            throw new InvalidTokenException("introspection: no exp");
        }
        if (!token1.expiresAt().isAfter(clock.instant())) {
            throw InvalidTokenException.expired();
        }
        return token1;
    }

    private VerifierUnavailableException unreachable(String message, Throwable cause, Duration memory) {
        unavailableUntil = System.nanoTime() + memory.toNanos();
        failing = true;
        return new VerifierUnavailableException(message, cause, memory);
    }

    /**
     * How long a 429 asks not to be asked again: its {@code Retry-After} (seconds or an HTTP date) between 1 s and
     * {@link #MAX_RATE_LIMIT_MEMORY}, else {@link #FAILURE_MEMORY}.
     */
    private Duration retryAfter(String header) {
        if (header == null || header.isBlank() || header.length() > 64) {
            return FAILURE_MEMORY;
        }
        Duration wait;
        try {
            String value = header.strip();
            wait = value.chars().allMatch(c -> c >= '0' && c <= '9')
                    ? (value.length() > 9 ? MAX_RATE_LIMIT_MEMORY : Duration.ofSeconds(Long.parseLong(value)))
                    : Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeException | ArithmeticException e) {
            return FAILURE_MEMORY;
        }
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : wait.compareTo(MAX_RATE_LIMIT_MEMORY) > 0 ? MAX_RATE_LIMIT_MEMORY : wait;
    }
}
