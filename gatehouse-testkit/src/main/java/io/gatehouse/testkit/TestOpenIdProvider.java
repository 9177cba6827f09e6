package io.gatehouse.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import net.minidev.json.JSONObject;

/**
 * A controllable OpenID provider for tests, on 127.0.0.1 and an ephemeral port (JDK HttpServer): discovery, JWKS,
 * authorize (redirects straight back with a code for the user the test chose, or with the error it chose), token
 * (authorization code with PKCE and client_secret_basic, refresh), userinfo and end_session. The ID tokens it returns
 * are signed with Nimbus and can be made bad on purpose ({@link Flaw}). It records what Gatehouse sent.
 */
public final class TestOpenIdProvider implements AutoCloseable {

    /** How the next ID token is made wrong. */
    public enum Flaw { NONE, OTHER_ISSUER, OTHER_AUDIENCE, EXPIRED, UNKNOWN_KEY, NO_NONCE, REPLAY_LAST }

    /** A user at the provider: their sub, name and realm roles (Keycloak's realm_access.roles). */
    public record Account(String sub, String username, List<String> roles) {
    }

    private record Issued(Account account, String redirectUri, String challenge, String nonce) {
    }

    public static final String CLIENT_ID = "gatehouse";

    private final HttpServer server;
    private final String secret;
    private final RSAKey key;
    private final RSAKey unknownKey;
    private final Map<String, Issued> codes = new ConcurrentHashMap<>();
    private final Map<String, Account> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Account> accessTokens = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> changedRoles = new ConcurrentHashMap<>();
    /** Every request's query or form, by path, in order. */
    public final List<Map.Entry<String, Map<String, String>>> requests = Collections.synchronizedList(new ArrayList<>());
    /** The Authorization headers sent to the token endpoint. */
    public final List<String> tokenAuthorizations = Collections.synchronizedList(new ArrayList<>());
    private volatile Account next = new Account("sub-alice", "alice", List.of("mcp-user"));
    private volatile String nextError;
    private volatile Flaw flaw = Flaw.NONE;
    private volatile String lastIdToken;
    private volatile boolean endSession = true;
    private volatile JWKSet clientKeys;

    public TestOpenIdProvider(String secret) {
        this.secret = secret;
        try {
            this.key = new RSAKeyGenerator(2048).keyID("provider-key").generate();
            this.unknownKey = new RSAKeyGenerator(2048).keyID("provider-key").generate();
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next sign-in is this user's. */
    public TestOpenIdProvider signsIn(Account account) {
        this.next = account;
        this.nextError = null;
        return this;
    }

    /** The next sign-in ends with this error at the callback (e.g. access_denied). */
    public TestOpenIdProvider answersError(String error) {
        this.nextError = error;
        return this;
    }

    /** The ID tokens from now on have this flaw. */
    public TestOpenIdProvider withFlaw(Flaw flaw) {
        this.flaw = flaw;
        return this;
    }

    /** From now on the user holds these roles (an administrator changed them): refreshed ID tokens say so. */
    public void changeRoles(String sub, List<String> roles) {
        changedRoles.put(sub, List.copyOf(roles));
    }

    /** The user can no longer sign in or refresh (disabled in the provider). */
    public void disable(String sub) {
        disabled.add(sub);
    }

    /** From now on Gatehouse authenticates with private_key_jwt signed by one of these keys (instead of the secret). */
    public void acceptsPrivateKeyJwt(JWKSet keys) {
        this.clientKeys = keys;
    }

    public void withoutEndSession() {
        endSession = false;
    }

    /** The parameters of the requests to {@code path}. */
    public List<Map<String, String>> requestsTo(String path) {
        synchronized (requests) {
            return requests.stream().filter(e -> e.getKey().equals(path)).map(Map.Entry::getValue).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            Map<String, String> params = decode(exchange.getRequestMethod().equals("POST")
                    ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) : query);
            requests.add(Map.entry(path, params));
            switch (path) {
                case "/.well-known/openid-configuration" -> json(exchange, 200, discovery());
                case "/jwks" -> json(exchange, 200, new JWKSet(key.toPublicJWK()).toString(true));
                case "/authorize" -> authorize(exchange, params);
                case "/token" -> token(exchange, params);
                case "/userinfo" -> userinfo(exchange);
                case "/logout" -> send(exchange, 200, "text/html", "signed out");
                default -> send(exchange, 404, "text/plain", "not found");
            }
        }
    }

    private String discovery() {
        JSONObject m = new JSONObject();
        String base = issuer().toString();
        m.put("issuer", base);
        m.put("authorization_endpoint", base + "/authorize");
        m.put("token_endpoint", base + "/token");
        m.put("userinfo_endpoint", base + "/userinfo");
        m.put("jwks_uri", base + "/jwks");
        if (endSession) {
            m.put("end_session_endpoint", base + "/logout");
        }
        m.put("response_types_supported", List.of("code"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of("RS256"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        return m.toJSONString();
    }

    private void authorize(HttpExchange exchange, Map<String, String> params) throws IOException {
        String redirect = params.get("redirect_uri");
        String state = params.get("state");
        if (!CLIENT_ID.equals(params.get("client_id")) || redirect == null) {
            send(exchange, 400, "text/plain", "bad client");
            return;
        }
        String location;
        if (nextError != null) {
            location = redirect + "?error=" + nextError + "&error_description=" + enc("The user said no") + "&state=" + enc(state);
        } else {
            String code = UUID.randomUUID().toString();
            codes.put(code, new Issued(next, redirect, params.get("code_challenge"), params.get("nonce")));
            location = redirect + "?code=" + code + "&state=" + enc(state) + "&iss=" + enc(issuer().toString());
        }
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange exchange, Map<String, String> params) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        tokenAuthorizations.add(String.valueOf(authorization));
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + secret).getBytes(StandardCharsets.UTF_8));
        boolean authenticated = clientKeys == null ? expected.equals(authorization) : validAssertion(params);
        if (!authenticated) {
            json(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        Account account;
        String nonce = null;
        if ("authorization_code".equals(params.get("grant_type"))) {
            Issued issued = codes.remove(String.valueOf(params.get("code")));
            if (issued == null || !issued.redirectUri().equals(params.get("redirect_uri")) || params.get("code_verifier") == null
                    || !CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(params.get("code_verifier"))).getValue()
                    .equals(issued.challenge())) {
                json(exchange, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            account = issued.account();
            nonce = issued.nonce();
        } else if ("refresh_token".equals(params.get("grant_type"))) {
            account = refreshTokens.remove(String.valueOf(params.get("refresh_token")));
            if (account == null || disabled.contains(account.sub())) {
                json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token is not active\"}");
                return;
            }
            List<String> roles = changedRoles.get(account.sub());
            if (roles != null) {
                account = new Account(account.sub(), account.username(), roles);
            }
        } else {
            json(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String access = UUID.randomUUID().toString();
        String refresh = UUID.randomUUID().toString();
        accessTokens.put(access, account);
        refreshTokens.put(refresh, account);
        JSONObject body = new JSONObject();
        body.put("access_token", access);
        body.put("token_type", "Bearer");
        body.put("expires_in", 300);
        body.put("refresh_token", refresh);
        body.put("id_token", idToken(account, nonce));
        json(exchange, 200, body.toJSONString());
    }

    /** RFC 7523: a client assertion signed by a registered key, from and about the client, for this token endpoint, unexpired. */
    private boolean validAssertion(Map<String, String> params) {
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(params.get("client_assertion_type"))) {
            return false;
        }
        try {
            SignedJWT assertion = SignedJWT.parse(String.valueOf(params.get("client_assertion")));
            RSAKey registered = (RSAKey) clientKeys.getKeyByKeyId(assertion.getHeader().getKeyID());
            JWTClaimsSet claims = assertion.getJWTClaimsSet();
            return registered != null && assertion.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(registered))
                    && CLIENT_ID.equals(claims.getIssuer()) && CLIENT_ID.equals(claims.getSubject())
                    && claims.getAudience().contains(issuer() + "/token") && claims.getExpirationTime().after(new Date());
        } catch (java.text.ParseException | JOSEException | ClassCastException e) {
            return false;
        }
    }

    private String idToken(Account account, String nonce) {
        if (flaw == Flaw.REPLAY_LAST && lastIdToken != null) {
            return lastIdToken;
        }
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(flaw == Flaw.OTHER_ISSUER ? "https://evil.example" : issuer().toString())
                .subject(account.sub())
                .audience(flaw == Flaw.OTHER_AUDIENCE ? "another-client" : CLIENT_ID)
                .issueTime(Date.from(flaw == Flaw.EXPIRED ? now.minus(Duration.ofHours(2)) : now))
                .expirationTime(Date.from(flaw == Flaw.EXPIRED ? now.minus(Duration.ofHours(1)) : now.plus(Duration.ofMinutes(5))))
                .claim("preferred_username", account.username())
                .claim("email", account.username() + "@example.com")
                .claim("realm_access", Map.of("roles", account.roles()));
        if (nonce != null && flaw != Flaw.NO_NONCE) {
            claims.claim("nonce", nonce);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("provider-key").build(), claims.build());
            jwt.sign(new RSASSASigner(flaw == Flaw.UNKNOWN_KEY ? unknownKey : key));
            lastIdToken = jwt.serialize();
            return lastIdToken;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void userinfo(HttpExchange exchange) throws IOException {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Account account = authorization.startsWith("Bearer ") ? accessTokens.get(authorization.substring(7)) : null;
        if (account == null) {
            json(exchange, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        JSONObject body = new JSONObject();
        body.put("sub", account.sub());
        body.put("preferred_username", account.username());
        json(exchange, 200, body.toJSONString());
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String enc(String value) {
        return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
