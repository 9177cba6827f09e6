package io.gatehouse.as.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** What the bridge relays of a registration request (the decide step; the relay to Keycloak is in KeycloakTest). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("SEC19-4")
class BridgedRegistrationTest {

    static final Set<String> SCOPES = Set.of("openid", "mcp:read", "mcp:tools");

    static Map<String, Object> json(String text) {
        return JsonMapper.builder().build().readValue(text, new TypeReference<Map<String, Object>>() { });
    }

    static Map<String, Object> relayed(String request) throws BridgedRegistration.Refused {
        return BridgedRegistration.of(json(request), SCOPES);
    }

    static String refusal(String request) {
        try {
            relayed(request);
        } catch (BridgedRegistration.Refused e) {
            return e.error() + ": " + e.getMessage();
        }
        throw new AssertionError("relayed: " + request);
    }

    @Test
    void what_an_mcp_client_sends_is_relayed_and_nothing_else() throws Exception {
        Map<String, Object> out = relayed("""
                {"client_name":"Inspector\\u0007 with a name that goes on and on and on and on and on and on and on and on and on and on and on",
                 "redirect_uris":["http://127.0.0.1:6274/cb","https://app.example/cb"],"grant_types":["authorization_code","refresh_token"],
                 "response_types":["code"],"token_endpoint_auth_method":"none","application_type":"native","scope":"mcp:read admin mcp:tools",
                 "client_uri":"https://app.example","policy_uri":"http://app.example/p","logo_uri":"https://evil.example/pixel.png",
                 "sector_identifier_uri":"http://169.254.169.254/","jwks_uri":"https://evil.example/jwks","default_roles":["admin"]}""");
        assertThat(out).containsOnlyKeys("client_name", "redirect_uris", "grant_types", "response_types", "token_endpoint_auth_method",
                "application_type", "scope", "client_uri");
        assertThat((String) out.get("client_name")).hasSizeLessThanOrEqualTo(100).startsWith("Inspector with").doesNotContain("\u0007");
        assertThat(out.get("scope")).isEqualTo("mcp:read mcp:tools");
        assertThat(out.get("grant_types")).isEqualTo(List.of("authorization_code", "refresh_token"));
    }

    @Test
    void a_minimal_request_gets_explicit_safe_grant_and_response_types() throws Exception {
        assertThat(relayed("{\"redirect_uris\":[\"http://localhost:1/cb\"]}")).containsEntry("grant_types", List.of("authorization_code", "refresh_token"))
                .containsEntry("response_types", List.of("code")).doesNotContainKey("scope");
    }

    @Test
    @Tag("attack")
    void client_credentials_other_grants_and_protocol_mappers_are_refused() {
        assertThat(refusal("{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"grant_types\":[\"client_credentials\"]}"))
                .startsWith("invalid_client_metadata");
        assertThat(refusal("{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"grant_types\":[\"authorization_code\",\"client_credentials\"]}"))
                .startsWith("invalid_client_metadata");
        assertThat(refusal("{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"grant_types\":[\"refresh_token\"]}")).startsWith("invalid_client_metadata");
        assertThat(refusal("{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"grant_types\":[\"password\",\"authorization_code\"]}"))
                .startsWith("invalid_client_metadata");
        assertThat(refusal("{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"response_types\":[\"token\"]}")).startsWith("invalid_client_metadata");
        assertThat(refusal("{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\"}"))
                .startsWith("invalid_client_metadata");
        assertThat(refusal("""
                {"redirect_uris":["http://127.0.0.1/cb"],"protocol_mappers":[{"name":"x","protocol":"openid-connect",
                 "protocolMapper":"oidc-hardcoded-claim-mapper","config":{"claim.name":"roles","claim.value":"admin"}}]}"""))
                .startsWith("invalid_client_metadata");
        assertThat(refusal("{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"protocolMappers\":[]}")).startsWith("invalid_client_metadata");
    }

    @Test
    @Tag("attack")
    void redirect_uris_must_be_https_or_loopback_and_are_not_echoed() {
        for (String uris : List.of("[\"http://evil.example/cb\"]", "[\"javascript:alert(1)\"]", "[\"https://a.example/cb#f\"]", "[]",
                "\"http://127.0.0.1/cb\"", "[\"https://user:pw@a.example/cb\"]")) {
            assertThat(refusal("{\"redirect_uris\":" + uris + "}")).startsWith("invalid_redirect_uri").doesNotContain("evil", "javascript", "pw@");
        }
    }
}
