package io.gatehouse.rs.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProtectedResourceMetadataTest {

    private static final URI RESOURCE = URI.create("https://mcp.example/mcp");

    private static ProtectedResourceMetadata metadata(List<String> scopes, Optional<URI> documentation) {
        return new ProtectedResourceMetadata(RESOURCE, List.of("https://issuer.example"), scopes, "Gatehouse",
                documentation);
    }

    @Test
    @Tag("RS-01")
    @Tag("RS-03")
    void the_document_names_the_resource_its_authorization_servers_and_its_scopes() {
        ObjectNode json = metadata(List.of("mcp:read", "mcp:tools", "mcp:prompts"),
                Optional.of(URI.create("https://docs.example/gatehouse"))).toJson();

        assertThat(json.get("resource").stringValue()).isEqualTo("https://mcp.example/mcp");
        assertThat(json.get("authorization_servers").toString()).isEqualTo("[\"https://issuer.example\"]");
        assertThat(json.get("scopes_supported").toString()).isEqualTo("[\"mcp:read\",\"mcp:tools\",\"mcp:prompts\"]");
        assertThat(json.get("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        assertThat(json.get("resource_name").stringValue()).isEqualTo("Gatehouse");
        assertThat(json.get("resource_documentation").stringValue()).isEqualTo("https://docs.example/gatehouse");
    }

    @Test
    @Tag("RS-03")
    void the_resource_is_byte_identical_to_the_configured_url() {
        URI trailing = URI.create("https://MCP.example:8443/mcp/");

        assertThat(metadata(List.of(), Optional.empty()).forResource(trailing).toJson().get("resource").stringValue())
                .isEqualTo("https://MCP.example:8443/mcp/");
    }

    @Test
    void the_documentation_is_left_out_when_there_is_none() {
        assertThat(metadata(List.of("mcp:read"), Optional.empty()).toJson().has("resource_documentation")).isFalse();
    }

    @Test
    @Tag("RS-06")
    void offline_access_is_never_advertised_even_when_configured() {
        ProtectedResourceMetadata metadata = metadata(List.of("mcp:read", "offline_access", "mcp:tools"), Optional.empty());

        assertThat(metadata.scopesSupported()).containsExactly("mcp:read", "mcp:tools");
        assertThat(metadata.toJson().toString()).doesNotContain("offline_access");
    }

    @Test
    @Tag("RS-01")
    void metadata_without_an_authorization_server_cannot_be_built() {
        assertThatThrownBy(() -> new ProtectedResourceMetadata(RESOURCE, List.of(), List.of("mcp:read"), "Gatehouse",
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void another_resource_keeps_every_other_field() {
        ProtectedResourceMetadata origin = metadata(List.of("mcp:read"), Optional.empty())
                .forResource(URI.create("https://mcp.example"));

        assertThat(origin.resource()).isEqualTo(URI.create("https://mcp.example"));
        assertThat(origin.authorizationServers()).containsExactly("https://issuer.example");
        assertThat(origin.scopesSupported()).containsExactly("mcp:read");
        assertThat(origin.resourceName()).isEqualTo("Gatehouse");
    }

    @Test
    @Tag("RS-03")
    void the_well_known_path_is_inserted_before_the_resource_path() {
        assertThat(ProtectedResourceMetadata.wellKnownPath(URI.create("https://h/mcp")))
                .isEqualTo("/.well-known/oauth-protected-resource/mcp");
        assertThat(ProtectedResourceMetadata.wellKnownPath(URI.create("https://h:8443/a/b")))
                .isEqualTo("/.well-known/oauth-protected-resource/a/b");
    }

    @Test
    @Tag("RS-03")
    void a_resource_without_a_path_has_the_root_well_known_path() {
        assertThat(ProtectedResourceMetadata.wellKnownPath(URI.create("https://h")))
                .isEqualTo("/.well-known/oauth-protected-resource");
        assertThat(ProtectedResourceMetadata.wellKnownPath(URI.create("https://h/")))
                .isEqualTo("/.well-known/oauth-protected-resource");
    }
}
