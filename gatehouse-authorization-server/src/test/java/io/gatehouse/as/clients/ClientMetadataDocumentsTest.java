package io.gatehouse.as.clients;

import static io.gatehouse.testkit.MetadataDocumentServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ConnectionCounter;
import io.gatehouse.testkit.MetadataDocumentServer;
import io.gatehouse.testkit.MutableClock;
import io.gatehouse.testkit.TestCertificate;
import io.gatehouse.testkit.TestNamesResolverProvider;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;
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

    @ParameterizedTest
    @Tag("SEC10-12")
    @ValueSource(strings = {"/app/../client.json", "/app/./client.json", "/./client.json", "/app/..", "/app/.",
            "/app/%2e%2e/client.json", "/app/%2E%2E/client.json", "/app/.%2e/client.json", "/app/%2e./client.json",
            "/app/%2e/client.json", "/app/..%2fclient.json", "/app%2f..%2fclient.json", "/app/%5c../client.json",
            "/app/..;/client.json", "/app/.;x/client.json", "/app/%2e%2e;/client.json"})
    void a_client_id_url_with_dot_segments_is_refused_without_a_request(String path) {
        server.serveValidDocumentFor(server.url(path), path, REDIRECT);
        server.serveValidDocumentFor(server.url(path), "/client.json", REDIRECT);

        assertThat(documents.resolve(server.url(path))).isEmpty();
        assertThat(server.hits()).isZero();
    }

    @ParameterizedTest
    @Tag("SEC10-12")
    @ValueSource(strings = {"/app/.well-known/client.json", "/app/client..json", "/app/.../client.json", "/app/..client.json"})
    void dots_inside_a_path_segment_are_allowed(String path) {
        String clientId = server.serveValidDocument(path, REDIRECT);

        assertThat(documents.resolve(clientId)).isPresent();
    }

    @Test
    @Tag("SEC10-12")
    void a_client_id_url_with_user_information_is_refused_without_a_request() {
        server.serveValidDocument("/client.json", REDIRECT);

        assertThat(documents.resolve(server.url("/client.json").replace("://", "://user@"))).isEmpty();
        assertThat(documents.resolve(server.url("/client.json").replace("://", "://user:secret@"))).isEmpty();
        assertThat(server.hits()).isZero();
    }

    @ParameterizedTest
    @Tag("SEC10-12")
    @ValueSource(strings = {"http://public.ssrf.test/client.json", "http://127.0.0.1.ssrf.test/client.json",
            "http://localhost.ssrf.test/client.json", "ftp://public.ssrf.test/client.json"})
    void only_https_names_a_document_except_loopback_for_development(String clientId) {
        assertThat(ClientMetadataDocuments.isDocumentUrl(clientId)).isFalse();
        assertThat(documents.resolve(clientId)).isEmpty();
    }

    @Test
    @Tag("SEC10-12")
    void a_client_id_url_longer_than_the_client_id_column_or_not_printable_ascii_is_refused_without_a_request() {
        String longPath = "/" + "a".repeat(DocumentUrl.MAX_LENGTH);
        server.serveValidDocument(longPath, REDIRECT);
        server.serveValidDocument("/caf\u00e9.json", REDIRECT);
        server.serveValidDocument("/line\nbreak.json", REDIRECT);

        assertThat(documents.resolve(server.url(longPath))).isEmpty();
        assertThat(documents.resolve(server.url("/caf\u00e9.json"))).isEmpty();
        assertThat(documents.resolve(server.url("/line\nbreak.json"))).isEmpty();
        assertThat(server.hits()).isZero();
        assertThat(documents.remembered()).as("what breaks the URL rules is not remembered").isZero();
    }

    @Test
    @Tag("SEC10-5")
    void refusals_are_remembered_for_a_minute_only() {
        String clientId = server.url("/missing.json");

        documents.resolve(clientId);
        clock.advance(ClientMetadataDocuments.REFUSAL_LIFETIME.minusSeconds(1));
        documents.resolve(clientId);
        assertThat(server.hits("/missing.json")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        documents.resolve(clientId);
        assertThat(server.hits("/missing.json")).isEqualTo(2);
    }

    @Test
    @Tag("SEC10-5")
    void a_document_that_could_not_be_fetched_is_tried_again_after_ten_seconds() throws Exception {
        int closedPort;
        try (ConnectionCounter gone = ConnectionCounter.start()) {
            closedPort = gone.port();
        }
        String clientId = "http://127.0.0.1:" + closedPort + "/client.json";

        assertThat(documents.resolve(clientId)).isEmpty();
        assertThat(documents.remembered()).isEqualTo(1);
        clock.advance(ClientMetadataDocuments.UNREACHABLE_LIFETIME.plusSeconds(1));
        assertThat(documents.remembered()).isZero();
    }

    @Test
    @Tag("SEC10-5")
    void a_flood_of_refused_client_ids_stays_within_the_bound_and_does_not_push_out_documents() {
        String valid = server.serveValidDocument("/client.json", REDIRECT);
        assertThat(documents.resolve(valid)).isPresent();

        for (int i = 0; i < 2 * ClientMetadataDocuments.MAX_REFUSALS; i++) {
            assertThat(documents.resolve(server.url("/flood/" + i + ".json"))).isEmpty();
        }

        assertThat(documents.remembered()).isLessThanOrEqualTo(ClientMetadataDocuments.MAX_REFUSALS + 1);
        assertThat(documents.resolve(valid)).isPresent();
        assertThat(server.hits("/client.json")).as("the document is still remembered").isEqualTo(1);
    }

    @Test
    @Tag("SEC10-10")
    void the_test_names_really_rebind_when_looked_up_again() throws Exception {
        String name = "rebind-precondition" + TestNamesResolverProvider.SUFFIX;

        assertThat(InetAddress.getAllByName(name)).extracting(InetAddress::getHostAddress)
                .containsExactly(InetAddress.getByName(TestNamesResolverProvider.UNROUTED_PUBLIC).getHostAddress());
        assertThat(InetAddress.getAllByName(name)).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
    }

    @Test
    @Tag("SEC10-10")
    void a_name_that_rebinds_to_loopback_after_the_check_is_fetched_from_the_checked_address_only() throws Exception {
        ClientMetadataDocuments strict = new ClientMetadataDocuments(new SsrfGuard(false), clock);
        try (ConnectionCounter internal = ConnectionCounter.start()) {
            String clientId = "https://rebind-documents" + TestNamesResolverProvider.SUFFIX + ":" + internal.port() + "/client.json";

            assertThat(strict.resolve(clientId)).isEmpty();
            assertThat(internal.accepted()).as("connections to the loopback service").isZero();
        }
    }

    @Test
    @Tag("SEC10-10")
    void a_pinned_https_fetch_sends_the_host_name_and_checks_the_certificate_against_it(@TempDir Path dir) {
        String name = "loopback" + TestNamesResolverProvider.SUFFIX;
        TestCertificate certificate = TestCertificate.forNames(dir, name);
        ClientMetadataDocuments trusting = new ClientMetadataDocuments(new SsrfGuard(true), clock,
                certificate.clientContext().getSocketFactory());
        try (MetadataDocumentServer tls = MetadataDocumentServer.startTls(certificate.serverContext())) {
            String clientId = tls.serveValidDocumentFor("https://" + name + ":" + tls.port() + "/client.json", "/client.json", REDIRECT);
            String otherName = tls.serveValidDocumentFor("https://localhost:" + tls.port() + "/other.json", "/other.json", REDIRECT);

            assertThat(trusting.resolve(clientId)).isPresent();
            assertThat(trusting.resolve(otherName)).as("the certificate does not name localhost").isEmpty();
            assertThat(tls.hits("/client.json")).isEqualTo(1);
            assertThat(tls.hits("/other.json")).isZero();
        }
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
