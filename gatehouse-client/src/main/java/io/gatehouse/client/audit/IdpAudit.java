package io.gatehouse.client.audit;

import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.UrlPolicy;
import java.net.URI;
import java.net.http.HttpResponse;
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
 * is an unknown one refused), RFC 9207 {@code iss}, CORS for browser-based clients, OpenID Connect or RFC 8414.
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
        JsonNode metadata = found.values().iterator().next();
        boolean issuerOk = issuer.equals(metadata.path("issuer").asString(""));
        checks.add(new Check("issuer", "issuer matches exactly (AS-03)", issuerOk ? Check.Result.YES : Check.Result.NO,
                "metadata says " + metadata.path("issuer").asString("(none)")));
        boolean s256 = strings(metadata.path("code_challenge_methods_supported")).contains("S256");
        checks.add(new Check("pkce", "PKCE S256 advertised (AS-04)", s256 ? Check.Result.YES : Check.Result.NO,
                "code_challenge_methods_supported = " + metadata.path("code_challenge_methods_supported")));
        Optional<String> registration = Optional.of(metadata.path("registration_endpoint").asString("")).filter(s -> !s.isEmpty());
        Optional<Registered> registered = Optional.empty();
        if (registration.isEmpty()) {
            checks.add(new Check("dcr", "Dynamic client registration (RFC 7591)", Check.Result.NO, "no registration_endpoint"));
        } else if (!inputs.register()) {
            checks.add(new Check("dcr", "Dynamic client registration (RFC 7591)", Check.Result.PARTIAL,
                    "advertised at " + registration.get() + "; not tried (use --register to try it and clean up)"));
        } else {
            registered = register(URI.create(registration.get()), checks);
        }
        boolean cimd = metadata.path("client_id_metadata_document_supported").asBoolean(false);
        checks.add(new Check("cimd", "Client ID metadata documents (AS-06)", cimd ? Check.Result.YES : Check.Result.NO,
                "client_id_metadata_document_supported = " + metadata.path("client_id_metadata_document_supported").asString("absent")));
        checks.add(pkceEnforced(metadata, registered));
        boolean iss = metadata.path("authorization_response_iss_parameter_supported").asBoolean(false);
        checks.add(new Check("rfc9207", "iss in authorization responses (RFC 9207)", iss ? Check.Result.YES : Check.Result.NO,
                "authorization_response_iss_parameter_supported = " + metadata.path("authorization_response_iss_parameter_supported").asString("absent")));
        Inputs measured = inputs;
        if (inputs.clientId().isEmpty() && inputs.register() && registration.isPresent()) {
            measured = confidentialClient(URI.create(registration.get())).map(c -> new Inputs(Optional.of(c[0]), Optional.of(c[1]),
                    inputs.resource(), inputs.scope(), true)).orElse(inputs);
        }
        checks.add(resourceIndicators(metadata, measured));
        checks.add(refreshRotation(metadata));
        checks.add(cors(locations.get(found.keySet().iterator().next()), registration));
        registered.ifPresent(r -> cleanUp(r, checks));
        boolean registrable = registration.isPresent() || cimd || inputs.clientId().isPresent();
        Verdict verdict = !issuerOk || !s256 ? Verdict.NOT_USABLE
                : rfc8414 || oidc ? (registrable && !corsMissing(checks) ? Verdict.USABLE : Verdict.USABLE_WITH_BRIDGE)
                : Verdict.USABLE_WITH_BRIDGE;
        return new Report(issuer, checks, verdict);
    }

    private record Registered(String clientId, Optional<String> registrationUri, Optional<String> accessToken, String redirectUri) {
    }

    private Optional<Registered> register(URI endpoint, List<Check> checks) {
        String redirect = "http://127.0.0.1:53999/callback";
        HttpResponse<String> response = http.postJson(endpoint, """
                {"client_name":"gatehouse idp-check","redirect_uris":["%s"],"grant_types":["authorization_code"],
                 "response_types":["code"],"token_endpoint_auth_method":"none","application_type":"native"}""".formatted(redirect));
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            checks.add(new Check("dcr", "Dynamic client registration (RFC 7591)", Check.Result.NO,
                    "registration refused with HTTP " + response.statusCode() + ": " + abbreviate(response.body())));
            return Optional.empty();
        }
        JsonNode body = Http.json(response, "registration response");
        checks.add(new Check("dcr", "Dynamic client registration (RFC 7591)", Check.Result.YES,
                "registered a public native client (" + body.path("client_id").asString() + ")"));
        return Optional.of(new Registered(body.path("client_id").asString(), text(body, "registration_client_uri"),
                text(body, "registration_access_token"), redirect));
    }

    /** A confidential client for the RFC 8707 measurement, registered when the server allows it; {id, secret}. */
    private Optional<String[]> confidentialClient(URI endpoint) {
        HttpResponse<String> response = http.postJson(endpoint, """
                {"client_name":"gatehouse idp-check (machine)","redirect_uris":["http://127.0.0.1:53999/callback"],
                 "grant_types":["client_credentials"],"token_endpoint_auth_method":"client_secret_basic","application_type":"web"}""");
        if (response.statusCode() / 100 != 2) {
            return Optional.empty();
        }
        JsonNode body = Http.json(response, "registration response");
        return text(body, "client_secret").map(secret -> new String[] {body.path("client_id").asString(), secret});
    }

    private void cleanUp(Registered registered, List<Check> checks) {
        if (registered.registrationUri().isPresent() && registered.accessToken().isPresent()) {
            var request = java.net.http.HttpRequest.newBuilder(URI.create(registered.registrationUri().get()))
                    .header("Authorization", "Bearer " + registered.accessToken().get()).DELETE();
            int status = http.send(request).statusCode();
            checks.add(new Check("cleanup", "Test registration removed (RFC 7592)", status / 100 == 2 ? Check.Result.YES : Check.Result.NO,
                    "DELETE registration_client_uri answered " + status));
        } else {
            checks.add(new Check("cleanup", "Test registration removed (RFC 7592)", Check.Result.NO,
                    "the server gave no registration management endpoint: client " + registered.clientId() + " stays registered"));
        }
    }

    /** A request without code_challenge must be refused (OAuth 2.1); measured with a registered client. */
    private Check pkceEnforced(JsonNode metadata, Optional<Registered> registered) {
        String name = "PKCE required for public clients";
        if (registered.isEmpty()) {
            return new Check("pkce-enforced", name, Check.Result.NOT_MEASURED, "needs a client: use --register");
        }
        URI authorize = URI.create(metadata.path("authorization_endpoint").asString() + "?" + Http.form(Map.of("response_type", "code",
                "client_id", registered.get().clientId(), "redirect_uri", registered.get().redirectUri(), "state", "idp-check")));
        HttpResponse<String> response = http.get(authorize);
        String location = response.headers().firstValue("Location").orElse("");
        if (response.statusCode() / 100 == 3 && location.startsWith(registered.get().redirectUri()) && location.contains("error=")) {
            return new Check("pkce-enforced", name, Check.Result.YES, "refused with a redirect carrying an error");
        }
        if (response.statusCode() == 400) {
            return new Check("pkce-enforced", name, Check.Result.YES, "refused (HTTP 400)");
        }
        return new Check("pkce-enforced", name, Check.Result.NO, "a request without code_challenge got HTTP " + response.statusCode()
                + " (a login page or a redirect without error): PKCE is not enforced for this client");
    }

    /** RFC 8707 with client credentials: the token's aud should become exactly the resource, and an unknown one be refused. */
    private Check resourceIndicators(JsonNode metadata, Inputs inputs) {
        String name = "Resource indicators (RFC 8707)";
        if (inputs.clientId().isEmpty() || inputs.clientSecret().isEmpty() || inputs.resource().isEmpty()) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED,
                    "needs --client-id, --client-secret (a confidential client allowed client_credentials) and --resource");
        }
        URI token = URI.create(metadata.path("token_endpoint").asString());
        String basic = "Basic " + Base64.getEncoder().encodeToString((java.net.URLEncoder.encode(inputs.clientId().get(), java.nio.charset.StandardCharsets.UTF_8)
                + ":" + java.net.URLEncoder.encode(inputs.clientSecret().get(), java.nio.charset.StandardCharsets.UTF_8)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "client_credentials", "resource", inputs.resource().get()));
        inputs.scope().ifPresent(s -> form.put("scope", s));
        HttpResponse<String> good = http.postForm(token, form, "Authorization", basic);
        if (good.statusCode() != 200) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED, "client_credentials with resource failed: HTTP "
                    + good.statusCode() + " " + abbreviate(good.body()));
        }
        List<String> audience;
        try {
            audience = Optional.ofNullable(SignedJWT.parse(Http.json(good, "token").path("access_token").asString()).getJWTClaimsSet().getAudience())
                    .orElse(List.of());
        } catch (java.text.ParseException e) {
            return new Check("rfc8707", name, Check.Result.NOT_MEASURED, "the access token is not a JWT; aud cannot be read");
        }
        form.put("resource", "https://unknown-resource.invalid/mcp");
        HttpResponse<String> bogus = http.postForm(token, form, "Authorization", basic);
        boolean refusesUnknown = bogus.statusCode() == 400 && bogus.body().contains("invalid_target");
        if (audience.equals(List.of(inputs.resource().get()))) {
            return new Check("rfc8707", name, refusesUnknown ? Check.Result.YES : Check.Result.PARTIAL,
                    "resource narrows aud to " + audience + (refusesUnknown ? "; an unknown resource is refused (invalid_target)"
                            : "; but an unknown resource is accepted"));
        }
        return new Check("rfc8707", name, Check.Result.NO, "resource is ignored: aud = " + audience
                + " (the MCP server must then rely on an audience mapper)");
    }

    private static Check refreshRotation(JsonNode metadata) {
        boolean refresh = strings(metadata.path("grant_types_supported")).contains("refresh_token");
        return new Check("refresh", "Refresh tokens", refresh ? Check.Result.PARTIAL : Check.Result.NO,
                refresh ? "refresh_token grant advertised; rotation needs a user login to measure (not done by this check)"
                        : "no refresh_token grant advertised");
    }

    /** Browser-based MCP clients need CORS on the metadata and the registration endpoint. */
    private Check cors(URI metadataUrl, Optional<String> registration) {
        String origin = "http://localhost:6274";
        boolean metadataCors = http.get(metadataUrl, "Origin", origin).headers().firstValue("Access-Control-Allow-Origin").isPresent();
        boolean registrationCors = registration.map(r -> http.send(java.net.http.HttpRequest.newBuilder(URI.create(r))
                        .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())).headers()
                .firstValue("Access-Control-Allow-Origin").isPresent()).orElse(true);
        Check.Result result = metadataCors && registrationCors ? Check.Result.YES : Check.Result.NO;
        return new Check("cors", "CORS for browser-based clients", result, (metadataCors ? "metadata: yes" : "metadata: no")
                + (registration.isPresent() ? (registrationCors ? ", registration: yes" : ", registration: no") : "")
                + (result == Check.Result.YES ? "" : " (Gatehouse's bridge can serve both with CORS)"));
    }

    private static boolean corsMissing(List<Check> checks) {
        return checks.stream().anyMatch(c -> c.id().equals("cors") && c.result() == Check.Result.NO);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asString("")));
        return out;
    }

    private static Optional<String> text(JsonNode node, String name) {
        String value = node.path(name).asString("");
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 160 ? flat.substring(0, 160) + "..." : flat;
    }
}
