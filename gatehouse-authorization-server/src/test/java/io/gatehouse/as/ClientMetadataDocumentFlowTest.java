package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.LOOPBACK_REDIRECT;
import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jwtClaims;
import static io.gatehouse.testkit.MetadataDocumentServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.OAuthDriver.Start;
import io.gatehouse.testkit.MetadataDocumentServer;
import io.gatehouse.testkit.TestNamesResolverProvider;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * AS-06: a client that was never registered names itself by the URL of its client ID metadata document and runs
 * the whole code flow with PKCE. The documents are served from loopback, which the server fetches only because
 * {@code metadataDocumentsOnLoopback} is on.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-06a")
class ClientMetadataDocumentFlowTest {

    final MetadataDocumentServer documents = MetadataDocumentServer.start();
    final OAuthDriver as = new OAuthDriver(new AsSettings(OAuthDriver.ISSUER, List.of(URI.create(OAuthDriver.RESOURCE)),
            List.of("mcp:read", "mcp:tools", "mcp:prompts"), Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofMinutes(1),
            false, Optional.empty(), false, true, true));

    @AfterEach
    void stop() {
        documents.close();
    }

    @Test
    void the_metadata_advertises_client_id_metadata_documents() {
        AsResponse metadata = as.get("/.well-known/oauth-authorization-server", Map.of(), Optional.empty());

        assertThat(json(metadata)).containsEntry("client_id_metadata_document_supported", true);
    }

    @Test
    void a_document_client_reaches_the_login_page_and_gets_a_code_at_its_redirect_uri() {
        String clientId = documents.serveValidDocument("/app/client.json", LOOPBACK_REDIRECT);
        Client client = new Client(clientId, Optional.empty(), LOOPBACK_REDIRECT);

        Start start = as.start(client);
        assertThat(start.response().status()).as(body(start.response())).isEqualTo(200);
        assertThat(body(start.response())).contains("Document App");

        AsResponse afterLogin = as.login(start.response(), "alice", OAuthDriver.ALICE_PASSWORD);
        AsResponse redirect = as.consent(afterLogin, OAuthDriver.sessionCookie(afterLogin), "approve");
        assertThat(redirect.status()).as(body(redirect)).isEqualTo(302);
        assertThat(redirect.headers().get("Location")).startsWith(LOOPBACK_REDIRECT + "?");
        Map<String, String> callback = OAuthDriver.callback(redirect);
        assertThat(callback).containsKey("code").containsEntry("state", start.params().get("state"));

        AsResponse tokens = as.exchange(new Authorization(client, callback.get("code"), start.verifier(), LOOPBACK_REDIRECT,
                callback, Optional.empty()));
        assertThat(tokens.status()).as(body(tokens)).isEqualTo(200);
        assertThat(jwtClaims(accessToken(json(tokens)))).containsEntry("client_id", clientId).containsEntry("sub", "alice");
    }

    @Test
    @Tag("hardening")
    void a_document_whose_client_id_differs_gets_the_error_page_and_no_redirect() {
        String clientId = documents.serve("/impostor.json", 200, json("client_id", documents.url("/real-app.json"),
                "client_name", "Impostor", "redirect_uris", List.of(LOOPBACK_REDIRECT)));

        Start start = as.start(new Client(clientId, Optional.empty(), LOOPBACK_REDIRECT));

        assertThat(start.response().status()).isEqualTo(400);
        assertThat(start.response().headers()).doesNotContainKey("Location");
        assertThat(documents.hits("/impostor.json")).isEqualTo(1);
    }

    @Test
    @Tag("hardening")
    void a_redirect_uri_the_document_does_not_list_gets_the_error_page_and_no_redirect() {
        String clientId = documents.serveValidDocument("/app/client.json", LOOPBACK_REDIRECT);

        Start start = as.start(new Client(clientId, Optional.empty(), "https://evil.example/steal"));

        assertThat(start.response().status()).isEqualTo(400);
        assertThat(start.response().headers()).doesNotContainKey("Location");
    }

    @Test
    @Tag("hardening")
    void without_loopback_development_mode_a_loopback_document_is_never_fetched() {
        OAuthDriver strict = new OAuthDriver(new AsSettings(OAuthDriver.ISSUER, List.of(URI.create(OAuthDriver.RESOURCE)),
                List.of("mcp:read", "mcp:tools"), Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofMinutes(1),
                false, Optional.empty(), false, true, false));
        String clientId = documents.serveValidDocument("/app/client.json", LOOPBACK_REDIRECT);

        Start start = strict.start(new Client(clientId, Optional.empty(), LOOPBACK_REDIRECT));

        assertThat(start.response().status()).isEqualTo(400);
        assertThat(start.response().headers()).doesNotContainKey("Location");
        assertThat(documents.hits()).isZero();
    }

    // ------------------------------------------------------------------ SEC10-10: resolution and fetches are bounded

    /** How long a test waits for an answer: far past the fetch deadline (5 s), so only a hang fails it. */
    static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    @Tag("attack")
    @Tag("SEC10-10")
    void a_client_id_whose_name_the_dns_server_never_answers_gets_the_error_page_within_the_fetch_deadline() throws Exception {
        int lookups = TestNamesResolverProvider.blockingLookups();
        Client client = new Client("https://blocking-authorize" + TestNamesResolverProvider.SUFFIX + "/client.json",
                Optional.empty(), LOOPBACK_REDIRECT);

        AsResponse page;
        try (ExecutorService browser = Executors.newVirtualThreadPerTaskExecutor()) {
            page = browser.submit(() -> as.start(client).response()).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(page.status()).as(body(page)).isEqualTo(400);
        assertThat(page.headers()).doesNotContainKey("Location");
        assertThat(TestNamesResolverProvider.blockingLookups()).as("the name was really looked up").isGreaterThan(lookups);
    }

    static AsResponse authorizeFrom(OAuthDriver server, String caller, String clientId) {
        Map<String, List<String>> query = Map.of("response_type", List.of("code"), "client_id", List.of(clientId),
                "redirect_uri", List.of(LOOPBACK_REDIRECT), "scope", List.of("mcp:read"), "state", List.of("s"),
                "code_challenge", List.of("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), "code_challenge_method", List.of("S256"));
        return server.server.handle(new AsRequest("GET", AuthorizationServer.AUTHORIZE, query, Map.of(), Map.of(), Map.of(),
                new byte[0], caller)).orElseThrow();
    }

    @Test
    @Tag("attack")
    @Tag("SEC10-10")
    void one_caller_makes_the_server_fetch_at_most_30_documents_a_minute_and_then_gets_429() {
        String attacker = "198.51.100.7";
        for (int i = 0; i < 30; i++) {
            assertThat(authorizeFrom(as, attacker, documents.url("/made-up/" + i + ".json")).status()).isEqualTo(400);
        }
        assertThat(documents.hits()).isEqualTo(30);

        AsResponse limited = authorizeFrom(as, attacker, documents.url("/made-up/30.json"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsKey("Retry-After").doesNotContainKey("Location");
        assertThat(new String(limited.body(), StandardCharsets.UTF_8)).contains("Too many requests");
        assertThat(documents.hits()).as("nothing fetched past the limit").isEqualTo(30);

        // what is remembered is answered without a fetch, so it does not count and is not refused
        assertThat(authorizeFrom(as, attacker, documents.url("/made-up/0.json")).status()).isEqualTo(400);
        String valid = documents.serveValidDocument("/app/client.json", LOOPBACK_REDIRECT);
        assertThat(authorizeFrom(as, "203.0.113.9", valid).status()).as("another caller").isEqualTo(200);
        assertThat(authorizeFrom(as, attacker, valid).status()).as("a remembered document").isEqualTo(200);
        assertThat(documents.hits()).isEqualTo(31);

        as.clock.advance(Duration.ofMinutes(1));
        assertThat(authorizeFrom(as, attacker, documents.url("/made-up/30.json")).status()).as("a minute later").isEqualTo(400);
        assertThat(documents.hits()).isEqualTo(32);
    }

    @Test
    @Tag("attack")
    @Tag("SEC10-10")
    void the_token_endpoint_counts_document_fetches_against_the_same_limit() {
        String attacker = "198.51.100.8";
        for (int i = 0; i < 30; i++) {
            authorizeFrom(as, attacker, documents.url("/made-up-too/" + i + ".json"));
        }
        String form = "grant_type=authorization_code&code=x&code_verifier=" + "v".repeat(43) + "&client_id="
                + java.net.URLEncoder.encode(documents.url("/made-up-too/30.json"), StandardCharsets.UTF_8);
        AsResponse token = as.server.handle(new AsRequest("POST", AuthorizationServer.TOKEN, Map.of(),
                Map.of("grant_type", List.of("authorization_code"), "code", List.of("x"), "code_verifier", List.of("v".repeat(43)),
                        "client_id", List.of(documents.url("/made-up-too/30.json"))),
                Map.of("content-type", List.of("application/x-www-form-urlencoded")), Map.of(), form.getBytes(StandardCharsets.UTF_8),
                attacker)).orElseThrow();

        assertThat(token.status()).as(body(token)).isEqualTo(429);
        assertThat(body(token)).contains("temporarily_unavailable");
        assertThat(documents.hits()).isEqualTo(30);
    }

    @Test
    @Tag("attack")
    @Tag("SEC10-10")
    void with_every_fetch_place_held_by_lookups_that_outlive_their_deadline_the_next_fetch_is_refused_at_once_and_remembered_documents_still_resolve()
            throws Exception {
        String valid = documents.serveValidDocument("/held/client.json", LOOPBACK_REDIRECT);
        assertThat(authorizeFrom(as, "203.0.113.20", valid).status()).isEqualTo(200);
        int lookups = TestNamesResolverProvider.stubbornLookups();
        int places = io.gatehouse.as.clients.ClientMetadataDocuments.MAX_FETCHES_IN_FLIGHT;
        try (ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<AsResponse>> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < places; i++) {
                    String caller = "198.51.100." + (100 + i);
                    String clientId = "https://stubborn-" + i + TestNamesResolverProvider.SUFFIX + "/client.json";
                    held.add(attackers.submit(() -> authorizeFrom(as, caller, clientId)));
                }
                long bound = System.nanoTime() + BOUND.toNanos();
                while (TestNamesResolverProvider.stubbornLookups() - lookups < places && System.nanoTime() < bound) {
                    Thread.sleep(20);
                }
                assertThat(TestNamesResolverProvider.stubbornLookups() - lookups).as("every place is held").isEqualTo(places);

                AsResponse refused = authorizeFrom(as, "203.0.113.21", documents.url("/held/other.json"));
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.headers()).containsKey("Retry-After").doesNotContainKey("Location");
                assertThat(authorizeFrom(as, "203.0.113.22", valid).status()).as("a remembered document").isEqualTo(200);

                for (java.util.concurrent.Future<AsResponse> request : held) {
                    assertThat(request.get(BOUND.toSeconds(), TimeUnit.SECONDS).status()).as("answered at the deadline").isEqualTo(400);
                }
                assertThat(authorizeFrom(as, "203.0.113.23", documents.url("/held/other.json")).status())
                        .as("the lookups still hold their places after the deadline").isEqualTo(429);
                assertThat(documents.hits()).as("nothing fetched while the places were held").isEqualTo(1);
            } finally {
                TestNamesResolverProvider.releaseStubbornLookups();
            }
        }

        // once the lookups really end, their places are free again
        long bound = System.nanoTime() + BOUND.toNanos();
        int status = 429;
        for (int i = 0; status == 429 && System.nanoTime() < bound; i++) {
            status = authorizeFrom(as, "203.0.114." + (i % 250), documents.url("/held/again-" + i + ".json")).status();
            if (status == 429) {
                Thread.sleep(20);
            }
        }
        assertThat(status).isEqualTo(400);
    }
}
