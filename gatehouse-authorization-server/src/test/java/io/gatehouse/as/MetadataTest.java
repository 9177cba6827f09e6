package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AS-02, AS-03: the RFC 8414 metadata document says exactly what the server does. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-02")
@Tag("AS-03")
class MetadataTest {

    static final String METADATA = "/.well-known/oauth-authorization-server";
    static final String OPENID = "/.well-known/openid-configuration";

    final OAuthDriver as = new OAuthDriver();

    @Test
    void the_issuer_is_exactly_the_configured_issuer() {
        AsResponse response = as.get(METADATA, Map.of(), Optional.empty());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json");
        assertThat(json(response).get("issuer")).isEqualTo("http://localhost:9000");
        assertThat(as.server.issuer()).isEqualTo(URI.create("http://localhost:9000"));
    }

    @Test
    @Tag("AS-04")
    void only_S256_is_advertised_for_pkce() {
        assertThat(metadata().get("code_challenge_methods_supported")).isEqualTo(List.of("S256"));
    }

    @Test
    @Tag("AS-13")
    void the_iss_authorization_response_parameter_is_advertised() {
        assertThat(metadata().get("authorization_response_iss_parameter_supported")).isEqualTo(true);
    }

    @Test
    void only_the_code_response_type_and_the_three_supported_grants_are_advertised() {
        Map<String, Object> metadata = metadata();

        assertThat(metadata.get("response_types_supported")).isEqualTo(List.of("code"));
        assertThat(metadata.get("grant_types_supported")).isEqualTo(List.of("authorization_code", "refresh_token", "client_credentials"));
        assertThat(metadata.get("scopes_supported")).isEqualTo(List.of("mcp:read", "mcp:tools", "mcp:prompts"));
    }

    @Test
    @Tag("AS-07")
    void the_registration_endpoint_is_advertised_when_dynamic_registration_is_on() {
        assertThat(metadata().get("registration_endpoint")).isEqualTo("http://localhost:9000/oauth/register");
    }

    @Test
    @Tag("AS-07")
    void no_registration_endpoint_is_advertised_or_served_when_dynamic_registration_is_off() {
        OAuthDriver closed = new OAuthDriver(OAuthDriver.settings(false, Optional.empty()));

        Map<String, Object> metadata = json(closed.get(METADATA, Map.of(), Optional.empty()));

        assertThat(metadata).doesNotContainKey("registration_endpoint").containsKey("token_endpoint");
        assertThat(closed.server.handle(new AsRequest("POST", AuthorizationServer.REGISTER, Map.of(), Map.of(),
                Map.of("content-type", List.of("application/json")), Map.of(), "{}".getBytes(), "127.0.0.1"))).isEmpty();
    }

    @Test
    void every_advertised_endpoint_is_served_by_the_server() {
        Map<String, Object> metadata = metadata();
        List<String> endpoints = metadata.entrySet().stream()
                .filter(e -> e.getKey().endsWith("_endpoint") || e.getKey().equals("jwks_uri"))
                .map(e -> (String) e.getValue()).toList();

        assertThat(endpoints).hasSize(6);
        for (String endpoint : endpoints) {
            assertThat(endpoint).startsWith("http://localhost:9000/");
            String path = URI.create(endpoint).getPath();
            Optional<AsResponse> response = as.server.handle(new AsRequest("GET", path, Map.of(), Map.of(), Map.of(), Map.of(),
                    new byte[0], "127.0.0.1"));
            assertThat(response).as(endpoint).isPresent();
            assertThat(response.get().status()).as(endpoint).isNotEqualTo(404);
            assertThat(as.server.owns(path)).as(endpoint).isTrue();
        }
    }

    @Test
    void the_openid_configuration_location_serves_the_same_document() {
        AsResponse oauth = as.get(METADATA, Map.of(), Optional.empty());
        AsResponse openid = as.get(OPENID, Map.of(), Optional.empty());

        assertThat(openid.status()).isEqualTo(200);
        assertThat(body(openid)).isEqualTo(body(oauth));
    }

    @Test
    void an_issuer_with_a_path_serves_metadata_at_the_rfc8414_location() {
        AsSettings base = OAuthDriver.settings(true, Optional.empty());
        AsSettings withPath = new AsSettings(URI.create("http://localhost:9000/tenant"), base.resources(), base.scopesSupported(),
                base.accessTokenTtl(), base.refreshTokenTtl(), base.codeTtl(), true, Optional.empty(), false, false, false);
        OAuthDriver tenant = new OAuthDriver(withPath);

        AsResponse response = tenant.get(METADATA + "/tenant", Map.of(), Optional.empty());

        assertThat(json(response).get("issuer")).isEqualTo("http://localhost:9000/tenant");
        assertThat(json(tenant.get("/tenant" + OPENID, Map.of(), Optional.empty())).get("issuer")).isEqualTo("http://localhost:9000/tenant");
    }

    private Map<String, Object> metadata() {
        AsResponse response = as.get(METADATA, Map.of(), Optional.empty());
        assertThat(response.status()).isEqualTo(200);
        return json(response);
    }
}
