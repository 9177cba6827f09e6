package io.gatehouse.as.clients;

import static io.gatehouse.as.clients.MetadataDocumentServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client ID metadata documents (AS-06): a client id that is a URL names a JSON document describing a public
 * client. The documents are served from loopback here, so the resolver runs with a guard that allows loopback for
 * development; the guard itself is tested in {@link SsrfGuardTest}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-06a")
class ClientMetadataDocumentsTest {

    static final String REDIRECT = "http://127.0.0.1/callback";

    final MetadataDocumentServer server = MetadataDocumentServer.start();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ClientMetadataDocuments documents = new ClientMetadataDocuments(new SsrfGuard(true), clock);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_valid_document_resolves_to_a_public_client_with_its_redirect_uris() {
        String clientId = server.serveValidDocument("/client.json", REDIRECT, "https://app.example/cb");

        Optional<RegisteredClient> client = documents.resolve(clientId);

        assertThat(client).isPresent();
        assertThat(client.get().clientId()).isEqualTo(clientId);
        assertThat(client.get().name()).isEqualTo("Document App");
        assertThat(client.get().authMethod()).isEqualTo("none");
        assertThat(client.get().isPublic()).isTrue();
        assertThat(client.get().secretHash()).isEmpty();
        assertThat(client.get().redirectUris()).containsExactly(URI.create(REDIRECT), URI.create("https://app.example/cb"));
        assertThat(client.get().grantTypes()).containsExactly("authorization_code");
        assertThat(client.get().allowsRedirect(URI.create("http://127.0.0.1:51234/callback"))).isTrue();
        assertThat(client.get().allowsRedirect(URI.create("https://evil.example/callback"))).isFalse();
        assertThat(server.hits("/client.json")).isEqualTo(1);
    }

    @Test
    void a_document_keeps_only_the_grants_a_public_client_may_have() {
        String clientId = server.serve("/grants.json", 200, json("client_id", server.url("/grants.json"), "client_name", "Greedy",
                "redirect_uris", List.of(REDIRECT), "grant_types", List.of("authorization_code", "refresh_token", "implicit")));

        assertThat(documents.resolve(clientId)).get().extracting(RegisteredClient::grantTypes)
                .isEqualTo(Set.of("authorization_code", "refresh_token"));
        assertThat(documents.resolve(clientId)).get().extracting(RegisteredClient::origin).isEqualTo(ClientOrigin.METADATA_DOCUMENT);
    }

    @Test
    @Tag("SEC10-1")
    void a_document_asking_for_client_credentials_is_refused() {
        String clientId = server.serve("/machine.json", 200, json("client_id", server.url("/machine.json"), "client_name", "Machine",
                "redirect_uris", List.of(REDIRECT), "grant_types", List.of("authorization_code", "client_credentials")));

        assertThat(documents.resolve(clientId)).isEmpty();
    }

    @Test
    void a_long_client_name_is_cut_to_100_characters() {
        String clientId = server.serve("/long-name.json", 200, json("client_id", server.url("/long-name.json"),
                "client_name", "N".repeat(500), "redirect_uris", List.of(REDIRECT)));

        assertThat(documents.resolve(clientId)).get().extracting(RegisteredClient::name).isEqualTo("N".repeat(100));
    }

    @Test
    @Tag("hardening")
    void a_document_whose_client_id_is_not_its_own_url_is_refused() {
        String clientId = server.serve("/impostor.json", 200, json("client_id", server.url("/someone-else.json"),
                "client_name", "Impostor", "redirect_uris", List.of(REDIRECT)));

        assertThat(documents.resolve(clientId)).isEmpty();
        assertThat(server.hits("/impostor.json")).isEqualTo(1);
    }

    @Test
    @Tag("hardening")
    void a_document_without_client_id_is_refused() {
        String clientId = server.serve("/anonymous.json", 200, json("client_name", "Anonymous", "redirect_uris", List.of(REDIRECT)));

        assertThat(documents.resolve(clientId)).isEmpty();
    }

    @Test
    void a_document_without_client_name_is_refused() {
        String clientId = server.serve("/nameless.json", 200, json("client_id", server.url("/nameless.json"),
                "redirect_uris", List.of(REDIRECT)));
        String blank = server.serve("/blank-name.json", 200, json("client_id", server.url("/blank-name.json"),
                "client_name", "  ", "redirect_uris", List.of(REDIRECT)));

        assertThat(documents.resolve(clientId)).isEmpty();
        assertThat(documents.resolve(blank)).isEmpty();
    }

    @Test
    void a_document_without_redirect_uris_is_refused() {
        String clientId = server.serve("/no-redirects.json", 200, json("client_id", server.url("/no-redirects.json"),
                "client_name", "Nowhere"));
        String empty = server.serve("/empty-redirects.json", 200, json("client_id", server.url("/empty-redirects.json"),
                "client_name", "Nowhere", "redirect_uris", List.of()));

        assertThat(documents.resolve(clientId)).isEmpty();
        assertThat(documents.resolve(empty)).isEmpty();
    }

    @ParameterizedTest
    @Tag("hardening")
    @ValueSource(strings = {"http://127.0.0.1/callback#fragment", "javascript:alert(1)", "http://app.example/callback",
            "https://user@app.example/cb", "/relative/callback", "data:text/html,hello"})
    void a_document_with_an_unacceptable_redirect_uri_is_refused(String redirectUri) {
        String clientId = server.serve("/bad-redirect.json", 200, json("client_id", server.url("/bad-redirect.json"),
                "client_name", "Bad Redirect", "redirect_uris", List.of(REDIRECT, redirectUri)));

        assertThat(documents.resolve(clientId)).isEmpty();
    }

    @ParameterizedTest
    @Tag("hardening")
    @ValueSource(strings = {"client_secret_basic", "client_secret_post", "private_key_jwt"})
    void a_document_for_a_confidential_client_is_refused(String method) {
        String clientId = server.serve("/confidential.json", 200, json("client_id", server.url("/confidential.json"),
                "client_name", "Backend", "redirect_uris", List.of(REDIRECT), "token_endpoint_auth_method", method));

        assertThat(documents.resolve(clientId)).isEmpty();
    }

    @Test
    @Tag("hardening")
    @Tag("AS-06b")
    void a_document_larger_than_16_kb_is_refused() {
        String clientId = server.serve("/big.json", 200, paddedDocument(server.url("/big.json"), 16 * 1024 + 1));

        assertThat(documents.resolve(clientId)).isEmpty();
        assertThat(server.hits("/big.json")).isEqualTo(1);
    }

    @Test
    @Tag("AS-06b")
    void a_document_of_exactly_16_kb_is_accepted() {
        String clientId = server.serve("/exactly-16k.json", 200, paddedDocument(server.url("/exactly-16k.json"), 16 * 1024));

        assertThat(documents.resolve(clientId)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>not json</html>", "{\"client_id\":", "[]", "\"just a string\"", "null", ""})
    void a_body_that_is_not_a_json_object_is_refused(String body) {
        String clientId = server.serve("/not-json.json", 200, body);

        assertThat(documents.resolve(clientId)).isEmpty();
    }

    @Test
    @Tag("hardening")
    @Tag("AS-06b")
    void a_redirect_is_not_followed() {
        String target = server.serveValidDocument("/target.json", REDIRECT);
        String clientId = server.serve("/moved.json", 302, new byte[0], "Location", target);

        assertThat(documents.resolve(clientId)).isEmpty();
        assertThat(server.hits("/moved.json")).isEqualTo(1);
        assertThat(server.hits("/target.json")).isZero();
    }

    @Test
    void a_missing_document_is_refused() {
        assertThat(documents.resolve(server.url("/missing.json"))).isEmpty();
        assertThat(server.hits("/missing.json")).isEqualTo(1);
    }

    @Test
    void a_document_served_with_an_error_status_is_refused() {
        String clientId = server.serve("/error.json", 500, json("client_id", server.url("/error.json"), "client_name", "Broken",
                "redirect_uris", List.of(REDIRECT)));

        assertThat(documents.resolve(clientId)).isEmpty();
    }

    @Test
    void a_document_is_cached_as_long_as_max_age_says() {
        String clientId = server.serve("/cached.json", 200, json("client_id", server.url("/cached.json"), "client_name", "Cached",
                "redirect_uris", List.of(REDIRECT)), "Cache-Control", "public, max-age=300");

        assertThat(documents.resolve(clientId)).isPresent();
        clock.advance(Duration.ofSeconds(299));
        assertThat(documents.resolve(clientId)).isPresent();
        assertThat(server.hits("/cached.json")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(documents.resolve(clientId)).isPresent();
        assertThat(server.hits("/cached.json")).isEqualTo(2);
    }

    @Test
    void a_document_served_with_no_store_is_fetched_every_time() {
        String clientId = server.serve("/uncached.json", 200, json("client_id", server.url("/uncached.json"), "client_name", "Fresh",
                "redirect_uris", List.of(REDIRECT)), "Cache-Control", "no-store");

        assertThat(documents.resolve(clientId)).isPresent();
        assertThat(documents.resolve(clientId)).isPresent();
        assertThat(server.hits("/uncached.json")).isEqualTo(2);
    }

    @Test
    void a_document_is_cached_for_at_most_a_day() {
        String clientId = server.serve("/forever.json", 200, json("client_id", server.url("/forever.json"), "client_name", "Forever",
                "redirect_uris", List.of(REDIRECT)), "Cache-Control", "max-age=31536000");

        documents.resolve(clientId);
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        documents.resolve(clientId);

        assertThat(server.hits("/forever.json")).isEqualTo(2);
    }

    @Test
    void cache_lifetimes_follow_cache_control() {
        assertThat(ClientMetadataDocuments.cacheLifetime("")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ClientMetadataDocuments.cacheLifetime("max-age=60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(ClientMetadataDocuments.cacheLifetime("public, max-age=3600")).isEqualTo(Duration.ofHours(1));
        assertThat(ClientMetadataDocuments.cacheLifetime("max-age=999999999")).isEqualTo(Duration.ofDays(1));
        assertThat(ClientMetadataDocuments.cacheLifetime("no-store")).isZero();
        assertThat(ClientMetadataDocuments.cacheLifetime("no-cache, max-age=600")).isZero();
    }

    @ParameterizedTest
    @Tag("hardening")
    @ValueSource(strings = {"", "/"})
    void a_client_id_url_without_a_path_is_refused_without_a_request(String path) {
        assertThat(documents.resolve(server.origin() + path)).isEmpty();
        assertThat(server.hits()).isZero();
    }

    @Test
    @Tag("hardening")
    void a_client_id_url_with_a_fragment_is_refused_without_a_request() {
        server.serveValidDocument("/client.json", REDIRECT);

        assertThat(documents.resolve(server.url("/client.json#part"))).isEmpty();
        assertThat(server.hits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a1b2c3d4e5f6", "urn:example:client", "ftp://127.0.0.1/client.json", "file:///etc/passwd"})
    void a_client_id_that_is_not_a_document_url_is_not_resolved(String clientId) {
        assertThat(ClientMetadataDocuments.isDocumentUrl(clientId)).isFalse();
        assertThat(documents.resolve(clientId)).isEmpty();
    }

    @Test
    @Tag("hardening")
    @Tag("AS-06b")
    void without_development_mode_a_loopback_document_is_refused_before_any_request() {
        String clientId = server.serveValidDocument("/client.json", REDIRECT);
        ClientMetadataDocuments strict = new ClientMetadataDocuments(new SsrfGuard(false), clock);

        assertThat(strict.resolve(clientId)).isEmpty();
        assertThat(strict.resolve(clientId.replace("127.0.0.1", "localhost"))).isEmpty();
        assertThat(server.hits()).isZero();
    }

    @Test
    @Tag("hardening")
    @Tag("AS-06b")
    void a_document_that_is_sent_too_slowly_is_given_up_on() {
        String clientId = server.url("/slow.json");
        server.serveSlowly("/slow.json", json("client_id", clientId, "client_name", "Slow", "redirect_uris", List.of(REDIRECT)),
                Duration.ofSeconds(20));
        long started = System.nanoTime();

        Optional<RegisteredClient> client = documents.resolve(clientId);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(client).isEmpty();
    }

    /** A valid document padded with an extra member to exactly {@code size} bytes. */
    private static String paddedDocument(String clientId, int size) {
        String bare = json("client_id", clientId, "client_name", "Padded", "redirect_uris", List.of(REDIRECT), "padding", "");
        String padded = json("client_id", clientId, "client_name", "Padded", "redirect_uris", List.of(REDIRECT),
                "padding", "x".repeat(size - bare.getBytes(StandardCharsets.UTF_8).length));
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return padded;
    }
}
