package io.gatehouse.client.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerMetadataTest {

    static final URI AT = URI.create("https://as.example/.well-known/oauth-authorization-server");

    static JsonNode metadata(String issuer, String tokenEndpoint, String revocation) {
        return Http.JSON.readTree("""
                {"issuer":"%s","authorization_endpoint":"https://as.example/authorize","token_endpoint":"%s",
                 "revocation_endpoint":"%s","code_challenge_methods_supported":["S256"]}""".formatted(issuer, tokenEndpoint, revocation));
    }

    @Test
    void metadata_is_kept_with_the_url_it_was_validated_against() {
        ServerMetadata as = ServerMetadata.parse(metadata("https://as.example", "https://AS.example:443/token", "https://as.example/revoke"),
                "https://as.example", AT);
        assertThat(as.metadataUrl()).isEqualTo(AT);
        assertThat(as.tokenEndpoint()).isEqualTo(URI.create("https://AS.example:443/token"));
    }

    @Test
    void an_issuer_other_than_the_one_the_url_was_built_from_is_refused() {
        assertThatThrownBy(() -> ServerMetadata.parse(metadata("https://real.example", "https://as.example/token", "https://as.example/r"),
                "https://as.example", AT)).hasMessageContaining("says issuer https://real.example, not https://as.example");
    }

    @Test
    void a_token_or_revocation_endpoint_on_another_origin_is_refused() {
        assertThatThrownBy(() -> ServerMetadata.parse(metadata("https://as.example", "https://thief.example/token", "https://as.example/r"),
                "https://as.example", AT)).hasMessageContaining("puts its token_endpoint on https://thief.example");
        assertThatThrownBy(() -> ServerMetadata.parse(metadata("https://as.example", "https://as.example/token", "https://as.example:8443/r"),
                "https://as.example", AT)).hasMessageContaining("puts its revocation_endpoint on https://as.example:8443");
    }

    @Test
    void origins_ignore_case_and_default_ports() {
        assertThat(ServerMetadata.origin(URI.create("HTTPS://Example.COM:443/x"))).isEqualTo("https://example.com");
        assertThat(ServerMetadata.origin(URI.create("http://127.0.0.1:8080/x?y"))).isEqualTo("http://127.0.0.1:8080");
    }
}
