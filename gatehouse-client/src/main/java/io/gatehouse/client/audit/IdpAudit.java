package io.gatehouse.client.audit;

import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.OAuthClientException;
import io.gatehouse.client.oauth.ServerMetadata;
import io.gatehouse.client.oauth.UrlPolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Measures an identity provider against what MCP asks of an authorization server (the tutorial's support table,
 * extended to the current specification): metadata discovery variants, PKCE S256 advertised and enforced,
 * dynamic registration (advertised, and with {@code register} actually tried and cleaned up), client ID metadata
 * documents, RFC 8707 resource indicators (with client credentials: does {@code resource} narrow {@code aud},
 * is an unknown one refused), RFC 9207 {@code iss}, CORS for browser-based clients, OpenID Connect or RFC 8414,
 * and whether anonymous registration lets a client bring its own protocol mappers (Keycloak), which lets anyone
 * write claims into other users' tokens.
 */
public final class IdpAudit {

    /** What the audit may use: optional confidential client credentials, the resource to ask for, whether to register. */
    public record Inputs(Optional<String> clientId, Optional<String> clientSecret, Optional<String> resource, Optional<String> scope,
                         boolean register) {
    }

    /** The outcome: every check, and the overall verdict. */
    public record Report(String issuer, List<Check> checks, Verdict verdict) {
    }

    /** Whether MCP clients can use the provider. */
    public enum Verdict { USABLE, USABLE_WITH_BRIDGE, NOT_USABLE }

    private final Http http;

    public IdpAudit(Http http) {
        this.http = http;
    }

    /**
     * Runs the checks. The audit stops at the first metadata document whose issuer is not {@code issuer}: nothing
     * is registered or sent to a provider that is not the one asked about. Secrets (the client secret, registration
     * access tokens) go only to endpoints on the issuer's origin over https (or loopback http), and every client the
     * audit registers is deleted at the end.
     */
    public Report run(String issuer, Inputs inputs) {
        List<Check> checks = new ArrayList<>();
        URI id = UrlPolicy.check(issuer, "issuer");
        String origin = id.getScheme() + "://" + id.getRawAuthority();
        String path = id.getRawPath() == null ? "" : id.getRawPath().replaceAll("/+$", "");
        Map<String, URI> locations = new LinkedHashMap<>();
        locations.put("RFC 8414 (path inserted)", URI.create(origin + "/.well-known/oauth-authorization-server" + path));
        locations.put("RFC 8414 (path appended)", URI.create(origin + path + "/.well-known/oauth-authorization-server"));
        locations.put("OIDC (path appended)", URI.create(origin + path + "/.well-known/openid-configuration"));
        locations.put("OIDC (path inserted)", URI.create(origin + "/.well-known/openid-configuration" + path));
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (var location : locations.entrySet()) {
            HttpResponse<String> response = http.get(location.getValue());
            if (response.statusCode() == 200) {
                try {
                    found.put(location.getKey(), Http.json(response, "metadata"));
                } catch (RuntimeException e) {
                    // not JSON: treated as absent
                }
            }
        }
        boolean rfc8414 = found.containsKey("RFC 8414 (path inserted)") || path.isEmpty() && found.containsKey("RFC 8414 (path appended)");
        boolean oidc = found.entrySet().stream().anyMatch(e -> e.getKey().startsWith("OIDC")
                && e.getValue().has("id_token_signing_alg_values_supported"));
        boolean oidcLocation = found.keySet().stream().anyMatch(k -> k.startsWith("OIDC"));
        checks.add(new Check("rfc8414", "RFC 8414 metadata", rfc8414 ? Check.Result.YES
                : found.containsKey("RFC 8414 (path appended)") ? Check.Result.PARTIAL : Check.Result.NO,
                found.isEmpty() ? "no metadata at any well-known location" : "found at: " + String.join(", ", found.keySet())
                        + (rfc8414 ? "" : " (MCP clients probe the path-inserted RFC 8414 location first)")));
        checks.add(new Check("oidc", "OpenID Connect discovery", oidc ? Check.Result.YES : Check.Result.NO,
                oidc ? "an OpenID provider" : oidcLocation ? "OAuth metadata also served at the OpenID location, without OpenID fields"
                        : "RFC 8414 only (fine for MCP since 2025-11-25)"));
        if (found.isEmpty()) {
            return new Report(issuer, checks, Verdict.NOT_USABLE);
        }
        for (var document : found.entrySet()) {
            String named = document.getValue().path("issuer").asString("");
            if (!issuer.equals(named)) {
                checks.add(new Check("issuer", "issuer matches exactly (AS-03)", Check.Result.NO, "the metadata at "
                        + locations.get(document.getKey()) + " says " + (named.isEmpty() ? "(none)" : Http.excerpt(named, 120))
                        + ": stopped here, nothing was registered at or sent to this provider"));
                return new Report(issuer, checks, Verdict.NOT_USABLE);
            }
        }
        checks.add(new Check("issuer", "issuer matches exactly (AS-03)", Check.Result.YES, "metadata says " + issuer));
        JsonNode metadata = found.values().iterator().next();
        TestClients clients = new TestClients(http, id);
        boolean s256;
        try {
            s256 = measure(metadata, inputs, id, locations.get(found.keySet().iterator().next()), clients, checks);
        } finally {
            checks.add(clients.cleanUp());
        }
        // a registration endpoint counts unless registering was tried and refused (a company realm that allows no
        // anonymous registration still advertises its endpoint)
        boolean registrable = endpoint(metadata, "registration_endpoint").isPresent() && !failed(checks, "dcr")
                || metadata.path("client_id_metadata_document_supported").asBoolean(false) || inputs.clientId().isPresent();
        Verdict verdict = !s256 || failed(checks, ProtocolMapperCheck.ID) ? Verdict.NOT_USABLE
                : rfc8414 || oidc ? (registrable && !failed(checks, "cors") ? Verdict.USABLE : Verdict.USABLE_WITH_BRIDGE)
                : Verdict.USABLE_WITH_BRIDGE;
        return new Report(issuer, checks, verdict);
    }

    private static final String REDIRECT = "http://127.0.0.1:53999/callback";

    /** The checks after the issuer's; returns whether PKCE S256 is advertised. */
    private boolean measure(JsonNode metadata, Inputs inputs, URI issuer, URI metadataUrl, TestClients clients, List<Check> checks) {
        boolean s256 = strings(metadata.path("code_challenge_methods_supported")).contains("S256");
        checks.add(new Check("pkce", "PKCE S256 advertised (AS-04)", s256 ? Check.Result.YES : Check.Result.NO,
                "code_challenge_methods_supported = " + Http.excerpt(metadata.path("code_challenge_methods_supported").toString(), 120)));
        Optional<URI> registration = endpoint(metadata, "registration_endpoint");
        Optional<TestClients.Registered> registered = Optional.empty();
        if (registration.isEmpty()) {
            checks.add(new Check("dcr", "Dynamic client registration (RFC 7591)", Check.Result.NO, metadata.has("registration_endpoint")
                    ? "registration_endpoint is not an https (or loopback http) URL" : "no registration_endpoint"));
        } else if (!inputs.register()) {
            checks.add(new Check("dcr", "Dynamic client registration (RFC 7591)", Check.Result.PARTIAL,
                    "advertised at " + registration.get() + "; not tried (use --register to try it and clean up)"));
        } else {
            registered = register(registration.get(), clients, checks);
        }
        checks.add(ProtocolMapperCheck.run(clients, registration, inputs.register(), REDIRECT));
        boolean cimd = metadata.path("client_id_metadata_document_supported").asBoolean(false);
        checks.add(new Check("cimd", "Client ID metadata documents (AS-06)", cimd ? Check.Result.YES : Check.Result.NO,
                "client_id_metadata_document_supported = " + Http.excerpt(metadata.path("client_id_metadata_document_supported").asString("absent"), 40)));
        checks.add(pkceEnforced(metadata, registered));
        boolean iss = metadata.path("authorization_response_iss_parameter_supported").asBoolean(false);
        checks.add(new Check("rfc9207", "iss in authorization responses (RFC 9207)", iss ? Check.Result.YES : Check.Result.NO,
                "authorization_response_iss_parameter_supported = "
                        + Http.excerpt(metadata.path("authorization_response_iss_parameter_supported").asString("absent"), 40)));
        checks.add(resourceIndicators(metadata, inputs, issuer, registration, clients));
        checks.add(refreshRotation(metadata));
        checks.add(cors(metadataUrl, registration));
        return s256;
    }

    private Optional<TestClients.Registered> register(URI endpoint, TestClients clients, List<Check> checks) {
        TestClients.Result result = clients.register(endpoint, """
                {"client_name":"gatehouse idp-check","redirect_uris":["%s"],"grant_types":["authorization_code"],
                 "response_types":["code"],"token_endpoint_auth_method":"none","application_type":"native"}""".formatted(REDIRECT),
                "public client", TestClients.Management.RFC_7592);
        if (result.client().isEmpty()) {
            checks.add(new Check("dcr", "Dynamic client registration (RFC 7591)", Check.Result.NO,
                    "registration refused with HTTP " + result.status() + ": " + result.problem()));
            return Optional.empty();
        }
        checks.add(new Check("dcr", "Dynamic client registration (RFC 7591)", Check.Result.YES,
                "registered a public native client (" + Http.excerpt(result.client().get().clientId(), 80) + ")"));
        return result.client();
    }

    /** A request without code_challenge must be refused (OAuth 2.1); measured with a registered client. */
    private Check pkceEnforced(JsonNode metadata, Optional<TestClients.Registered> registered) {
        String name = "PKCE required for public clients";
        if (registered.isEmpty()) {
            return new Check("pkce-enforced", name, Check.Result.NOT_MEASURED, "needs a client: use --register");
        }
        Optional<URI> endpoint = endpoint(metadata, "authorization_endpoint");
        if (endpoint.isEmpty()) {
            return new Check("pkce-enforced", name, Check.Result.NOT_MEASURED, "no usable authorization_endpoint (https, or loopback http)");
        }
        String base = endpoint.get().toString();
        URI authorize = URI.create(base + (base.contains("?") ? "&" : "?") + Http.form(Map.of("response_type", "code",
                "client_id", registered.get().clientId(), "redirect_uri", REDIRECT, "state", "idp-check")));
        HttpResponse<String> response = http.get(authorize);
        String location = response.headers().firstValue("Location").orElse("");
        if (response.statusCode() / 100 == 3 && location.startsWith(REDIRECT) && location.contains("error=")) {
            return new Check("pkce-enforced", name, Check.Result.YES, "refused with a redirect carrying an error");
        }
        if (response.statusCode() == 400) {
            return new Check("pkce-enforced", name, Check.Result.YES, "refused (HTTP 400)");
        }
        return new Check("pkce-enforced", name, Check.Result.NO, "a request without code_challenge got HTTP " + response.statusCode()
                + " (a login page or a redirect without error): PKCE is not enforced for this client");
    }

    /**
     * RFC 8707 with client credentials: the token's aud should become exactly the resource, and an unknown one be
     * refused. Uses the given confidential client, else (with {@code --register}) registers one that is removed
     * afterwards. The secret goes only to a token endpoint on the issuer's origin.
     */
    private Check resourceIndicators(JsonNode metadata, Inputs inputs, URI issuer, Optional<URI> registration, TestClients clients) {
        String name = "Resource indicators (RFC 8707)";
        if (inputs.resource().isEmpty()) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED,
                    "needs --resource (and --client-id/--client-secret of a confidential client allowed client_credentials, or --register)");
        }
        Optional<URI> token = endpoint(metadata, "token_endpoint");
        if (token.isEmpty()) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED, "no usable token_endpoint (https, or loopback http)");
        }
        if (!ServerMetadata.origin(token.get()).equals(ServerMetadata.origin(issuer))) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED, "the token_endpoint is on " + ServerMetadata.origin(token.get())
                    + ", another origin than the issuer's: no client secret is sent there");
        }
        Optional<String> clientId = inputs.clientId();
        Optional<String> secret = inputs.clientSecret();
        if (clientId.isEmpty() && inputs.register() && registration.isPresent()) {
            Optional<TestClients.Registered> machine = clients.register(registration.get(), """
                    {"client_name":"gatehouse idp-check (machine)","redirect_uris":["%s"],"grant_types":["client_credentials"],
                     "token_endpoint_auth_method":"client_secret_basic","application_type":"web"}""".formatted(REDIRECT),
                    "client_credentials client", TestClients.Management.RFC_7592).client();
            clientId = machine.map(TestClients.Registered::clientId);
            secret = machine.flatMap(TestClients.Registered::secret);
        }
        if (clientId.isEmpty() || secret.isEmpty()) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED,
                    "needs --client-id and --client-secret (a confidential client allowed client_credentials), or --register");
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(clientId.get(), StandardCharsets.UTF_8)
                + ":" + URLEncoder.encode(secret.get(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "client_credentials", "resource", inputs.resource().get()));
        inputs.scope().ifPresent(s -> form.put("scope", s));
        HttpResponse<String> good = http.postForm(token.get(), form, "Authorization", basic);
        if (good.statusCode() != 200) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED, "client_credentials with resource failed: HTTP "
                    + good.statusCode() + " " + Http.excerpt(good.body(), 160));
        }
        List<String> audience;
        try {
            audience = Optional.ofNullable(SignedJWT.parse(Http.json(good, "token").path("access_token").asString()).getJWTClaimsSet().getAudience())
                    .orElse(List.of());
        } catch (java.text.ParseException | RuntimeException e) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED, "the access token is not a JWT; aud cannot be read");
        }
        form.put("resource", "https://unknown-resource.invalid/mcp");
        HttpResponse<String> bogus = http.postForm(token.get(), form, "Authorization", basic);
        boolean refusesUnknown = bogus.statusCode() == 400 && bogus.body().contains("invalid_target");
        if (audience.equals(List.of(inputs.resource().get()))) {
            return new Check("rfc8707", name, refusesUnknown ? Check.Result.YES : Check.Result.PARTIAL,
                    "resource narrows aud to " + audience + (refusesUnknown ? "; an unknown resource is refused (invalid_target)"
                            : "; but an unknown resource is accepted"));
        }
        return new Check("rfc8707", name, Check.Result.NO, "resource is ignored: aud = " + Http.excerpt(audience.toString(), 200)
                + " (the MCP server must then rely on an audience mapper)");
    }

    private static Check refreshRotation(JsonNode metadata) {
        boolean refresh = strings(metadata.path("grant_types_supported")).contains("refresh_token");
        return new Check("refresh", "Refresh tokens", refresh ? Check.Result.PARTIAL : Check.Result.NO,
                refresh ? "refresh_token grant advertised; rotation needs a user login to measure (not done by this check)"
                        : "no refresh_token grant advertised");
    }

    /** Browser-based MCP clients need CORS on the metadata and the registration endpoint. */
    private Check cors(URI metadataUrl, Optional<URI> registration) {
        String origin = "http://localhost:6274";
        boolean metadataCors = http.get(metadataUrl, "Origin", origin).headers().firstValue("Access-Control-Allow-Origin").isPresent();
        boolean registrationCors = registration.map(r -> http.send(HttpRequest.newBuilder(r)
                        .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())).headers()
                .firstValue("Access-Control-Allow-Origin").isPresent()).orElse(true);
        Check.Result result = metadataCors && registrationCors ? Check.Result.YES : Check.Result.NO;
        return new Check("cors", "CORS for browser-based clients", result, (metadataCors ? "metadata: yes" : "metadata: no")
                + (registration.isPresent() ? (registrationCors ? ", registration: yes" : ", registration: no") : "")
                + (result == Check.Result.YES ? "" : " (Gatehouse's bridge can serve both with CORS)"));
    }

    /** An endpoint of the metadata the audit may talk to: an https URL, or http on loopback. */
    private static Optional<URI> endpoint(JsonNode metadata, String name) {
        String value = metadata.path(name).asString("");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UrlPolicy.check(value, name));
        } catch (OAuthClientException e) {
            return Optional.empty();
        }
    }

    private static boolean failed(List<Check> checks, String id) {
        return checks.stream().anyMatch(c -> c.id().equals(id) && c.result() == Check.Result.NO);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asString("")));
        return out;
    }
}
