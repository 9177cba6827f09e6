package io.gatehouse.client.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CredentialStoreTest {

    @TempDir
    Path dir;

    static ServerMetadata as(String issuer, String metadataUrl) {
        URI at = URI.create(metadataUrl);
        String origin = ServerMetadata.origin(at);
        return new ServerMetadata(issuer, at, URI.create(origin + "/authorize"), URI.create(origin + "/token"), Optional.empty(),
                Optional.empty(), List.of(), List.of("none"), false, false);
    }

    @Test
    void a_registration_is_found_only_for_metadata_from_the_url_it_was_validated_against() {
        CredentialStore store = new CredentialStore(dir.resolve("credentials.json"));
        ServerMetadata real = as("https://as.example", "https://as.example/.well-known/oauth-authorization-server");
        store.save(Credentials.registered(real, "client-1", Optional.of("secret"), "client_secret_basic"));

        assertThat(store.find(real)).map(Credentials::clientId).contains("client-1");
        assertThat(store.find(as("https://as.example", "https://evil.example/.well-known/oauth-authorization-server"))).isEmpty();
        assertThat(store.find(as("https://as.example", "https://as.example/.well-known/openid-configuration"))).isEmpty();
    }

    @Test
    void entries_of_the_older_layout_keep_their_tokens_but_are_never_reused_for_a_login() throws Exception {
        Path file = dir.resolve("old.json");
        Files.writeString(file, """
                {"https://as.example":{"client_id":"old","auth_method":"none","tokens":{"resource":"https://mcp.example/mcp",
                 "access_token":"at","scope":"s","expires_at":"%s"}}}""".formatted(Instant.now().plusSeconds(600)));
        CredentialStore store = new CredentialStore(file);

        assertThat(store.findForServer(URI.create("https://mcp.example/mcp"))).map(Credentials::clientId).contains("old");
        assertThat(store.find(as("https://as.example", "https://as.example/.well-known/oauth-authorization-server"))).isEmpty();
    }

    @Test
    void a_new_login_for_a_server_replaces_the_tokens_another_entry_held_for_it() {
        CredentialStore store = new CredentialStore(dir.resolve("credentials.json"));
        Credentials.Tokens tokens = new Credentials.Tokens("https://mcp.example/mcp", "at-1", Optional.empty(), "", Instant.MAX);
        ServerMetadata first = as("https://a.example", "https://a.example/.well-known/oauth-authorization-server");
        ServerMetadata second = as("https://b.example", "https://b.example/.well-known/oauth-authorization-server");
        store.save(Credentials.registered(first, "c1", Optional.empty(), "none").withTokens(tokens));
        store.save(Credentials.registered(second, "c2", Optional.empty(), "none").withTokens(
                new Credentials.Tokens("https://mcp.example/mcp", "at-2", Optional.empty(), "", Instant.MAX)));

        assertThat(store.findForServer(URI.create("https://mcp.example/mcp"))).map(Credentials::clientId).contains("c2");
        assertThat(store.find(first)).hasValueSatisfying(c -> assertThat(c.tokens()).isEmpty());
    }
}
