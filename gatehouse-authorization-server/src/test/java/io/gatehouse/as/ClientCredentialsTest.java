package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jwtClaims;
import static io.gatehouse.as.OAuthDriver.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client_credentials grant, for confidential clients the operator configured and only with the scopes it gave
 * them, and client authentication at the token endpoint.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("hardening")
class ClientCredentialsTest {

    final OAuthDriver as = new OAuthDriver();
    final Client backend = OAuthDriver.MACHINE;

    @Test
    @Tag("AS-15")
    void a_confidential_client_gets_a_token_with_http_basic() {
        AsResponse response = clientCredentials(backend.basic());

        assertThat(response.status()).as(body(response)).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store");
        Map<String, Object> tokens = json(response);
        assertThat(tokens).containsEntry("token_type", "Bearer").containsEntry("scope", "mcp:read").doesNotContainKey("refresh_token");
        Map<String, Object> claims = jwtClaims(accessToken(tokens));
        assertThat(claims).containsEntry("client_id", backend.id()).containsEntry("sub", backend.id());
        assertThat(claims.get("aud")).isIn(OAuthDriver.RESOURCE, List.of(OAuthDriver.RESOURCE));
    }

    @Test
    void a_wrong_secret_is_401_invalid_client_with_www_authenticate() {
        AsResponse response = clientCredentials(basic(backend.id(), "not-the-secret"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(json(response)).containsEntry("error", "invalid_client");
        assertThat(response.headers()).containsKey("WWW-Authenticate");
        assertThat(response.headers().get("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void a_public_client_may_not_use_client_credentials() {
        Client publicClient = as.registerPublic();

        AsResponse response = as.postForm(AuthorizationServer.TOKEN,
                params("grant_type", "client_credentials", "client_id", publicClient.id(), "scope", "mcp:read"), Map.of(), Optional.empty());

        assertThat(response.status()).isIn(400, 401);
        assertThat(json(response).get("error")).isIn("unauthorized_client", "invalid_client");
        assertThat(json(response)).doesNotContainKey("access_token");
    }

    @Test
    void a_confidential_client_must_authenticate_the_way_it_registered() {
        Client postClient = OAuthDriver.MACHINE_POST;

        AsResponse withBasic = clientCredentials(basic(postClient.id(), postClient.secret().orElseThrow()));
        AsResponse withPost = as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials", "scope", "mcp:read",
                "client_id", postClient.id(), "client_secret", postClient.secret().orElseThrow()), Map.of(), Optional.empty());

        assertThat(withBasic.status()).isEqualTo(401);
        assertThat(json(withBasic)).containsEntry("error", "invalid_client");
        assertThat(withPost.status()).as(body(withPost)).isEqualTo(200);
    }

    @Test
    void a_basic_client_presenting_its_secret_in_the_form_is_invalid_client() {
        AsResponse response = as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials", "scope", "mcp:read",
                "client_id", backend.id(), "client_secret", backend.secret().orElseThrow()), Map.of(), Optional.empty());

        assertThat(json(response)).containsEntry("error", "invalid_client");
    }

    @Test
    void an_unknown_client_and_a_wrong_secret_get_identical_answers() {
        AsResponse unknown = clientCredentials(basic("no-such-client", "whatever-secret"));
        AsResponse wrongSecret = clientCredentials(basic(backend.id(), "whatever-secret"));

        assertThat(unknown.status()).isEqualTo(401).isEqualTo(wrongSecret.status());
        assertThat(body(unknown)).isEqualTo(body(wrongSecret));
        assertThat(unknown.headers()).isEqualTo(wrongSecret.headers());
    }

    @Test
    void a_confidential_client_without_the_grant_is_unauthorized_client() {
        Client codeOnly = as.registerConfidential("client_secret_basic", "authorization_code");

        AsResponse response = clientCredentials(codeOnly.basic());

        assertThat(json(response)).containsEntry("error", "unauthorized_client").doesNotContainKey("access_token");
    }

    @Test
    @Tag("SEC10-1")
    void without_a_scope_a_configured_client_gets_exactly_the_scopes_the_operator_gave_it() {
        AsResponse response = as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials"),
                Map.of("Authorization", backend.basic()), Optional.empty());

        assertThat(json(response)).containsEntry("scope", "mcp:read mcp:tools");
    }

    @Test
    @Tag("SEC10-1")
    void a_scope_the_operator_did_not_give_is_invalid_scope() {
        AsResponse response = as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials", "scope", "mcp:read mcp:prompts"),
                Map.of("Authorization", backend.basic()), Optional.empty());

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_scope").doesNotContainKey("access_token");
    }

    @Test
    @Tag("SEC10-1")
    void a_configured_client_without_scopes_gets_none_rather_than_all() {
        for (String scope : new String[] {null, "mcp:read mcp:tools mcp:prompts"}) {
            AsResponse response = as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials", "scope", scope),
                    Map.of("Authorization", OAuthDriver.MACHINE_WITHOUT_SCOPES.basic()), Optional.empty());

            assertThat(response.status()).isEqualTo(400);
            assertThat(json(response)).containsEntry("error", "invalid_scope").doesNotContainKey("access_token");
        }
    }

    @Test
    @Tag("SEC10-1")
    void open_registration_refuses_client_credentials() {
        AsResponse registration = as.register("{\"client_name\":\"Backend\",\"redirect_uris\":[\"https://backend.example.com/cb\"],"
                + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"mcp:read\"}");

        assertThat(registration.status()).isEqualTo(400);
        assertThat(json(registration)).containsEntry("error", "invalid_client_metadata").doesNotContainKeys("client_id", "client_secret");
    }

    @Test
    @Tag("SEC10-1")
    void a_client_registered_with_the_initial_access_token_gets_the_scopes_it_registered() {
        OAuthDriver closed = new OAuthDriver(OAuthDriver.settings(true, Optional.of("initial-access-token-123")));
        String backendMetadata = "{\"redirect_uris\":[\"https://backend.example.com/cb\"],\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"";
        Map<String, String> token = Map.of("Authorization", "Bearer initial-access-token-123");

        AsResponse withoutScope = closed.postJson(AuthorizationServer.REGISTER, backendMetadata + "}", token);
        Client registered = OAuthDriver.client(closed.postJson(AuthorizationServer.REGISTER, backendMetadata + ",\"scope\":\"mcp:read\"}", token));
        AsResponse response = closed.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials"),
                Map.of("Authorization", registered.basic()), Optional.empty());
        AsResponse wider = closed.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials", "scope", "mcp:tools"),
                Map.of("Authorization", registered.basic()), Optional.empty());

        assertThat(json(withoutScope)).containsEntry("error", "invalid_client_metadata");
        assertThat(json(response)).containsEntry("scope", "mcp:read").containsKey("access_token");
        assertThat(json(wider)).containsEntry("error", "invalid_scope");
    }

    private AsResponse clientCredentials(String authorization) {
        return as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials", "scope", "mcp:read"),
                Map.of("Authorization", authorization), Optional.empty());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
