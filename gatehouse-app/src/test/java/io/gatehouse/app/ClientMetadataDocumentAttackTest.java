package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.as.clients.ClientMetadataDocuments;
import io.gatehouse.testkit.ConnectionCounter;
import io.gatehouse.testkit.MetadataDocumentServer;
import io.gatehouse.testkit.TestNamesResolverProvider;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Issue 10, findings 5, 10, 12 and 13 (client metadata documents), attacked over HTTP on a running Gatehouse with
 * its embedded authorization server: an unregistered client names itself by an https URL, and the server fetches
 * that URL. {@code strict} has the default settings; {@code development} also fetches from loopback
 * ({@code client-metadata-on-loopback}), so that a document the attack must not reach is really there to be
 * reached. Host names under {@code .ssrf.test} are answered by {@link TestNamesResolverProvider}, as a hostile
 * DNS server would answer them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class ClientMetadataDocumentAttackTest {

    static final String PASSWORD = "cimd-attack-password-1";
    static final String REDIRECT = "http://127.0.0.1:4321/callback";
    static final String VERIFIER = "client-metadata-document-attack-verifier-0123456789";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    static RunningGatehouse strict;
    static RunningGatehouse development;
    final MetadataDocumentServer documents = MetadataDocumentServer.start();
    final ConnectionCounter internal = ConnectionCounter.start();

    @BeforeAll
    static void start() throws Exception {
        strict = embedded();
        development = embedded("client-metadata-on-loopback", "true");
    }

    @AfterAll
    static void stop() throws Exception {
        strict.close();
        development.close();
    }

    @AfterEach
    void close() throws Exception {
        documents.close();
        internal.close();
    }

    static RunningGatehouse embedded(String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of("auth", "embedded", "demo-password", PASSWORD,
                "data-dir", Files.createTempDirectory("gatehouse-cimd").toString()));
        all.addAll(List.of(settings));
        return RunningGatehouse.start(all.toArray(String[]::new));
    }

    static URI base(RunningGatehouse gatehouse) {
        return URI.create("http://localhost:" + gatehouse.gatehouse.port());
    }

    static HttpResponse<String> authorize(RunningGatehouse gatehouse, String clientId) throws Exception {
        return new OAuthTestDriver(base(gatehouse)).authorize(clientId, REDIRECT, VERIFIER, "mcp:read");
    }

    static long remembered(RunningGatehouse gatehouse) {
        return gatehouse.gatehouse.authorizationServer().orElseThrow().rememberedClientMetadataDocuments();
    }

    static void assertErrorPageWithoutRedirect(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    // ------------------------------------------------------------------ finding 10: SSRF guard gaps

    @ParameterizedTest
    @Tag("SEC10-10")
    @ValueSource(strings = {"[::127.0.0.1]", "[::ffff:127.0.0.1]", "[::ffff:0:127.0.0.1]", "[64:ff9b::127.0.0.1]",
            "[64:ff9b::a9fe:a9fe]", "[64:ff9b:1::7f00:1]", "[2002:7f00:1::1]", "[2002:a9fe:a9fe::1]",
            "[2001:0:4136:e378:8000:63bf:80ff:fffe]", "nat64-loopback.ssrf.test"})
    void a_client_id_on_an_ipv4_address_carried_in_ipv6_gets_the_error_page_and_nothing_is_fetched(String host) throws Exception {
        String clientId = "https://" + host + ":" + internal.port() + "/client.json";
        String developmentClientId = clientId.replace("[::ffff:127.0.0.1]", "[::127.0.0.1]");
        Logger log = (Logger) LoggerFactory.getLogger(ClientMetadataDocuments.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        try {
            assertErrorPageWithoutRedirect(authorize(strict, clientId));
            assertErrorPageWithoutRedirect(authorize(development, developmentClientId));
        } finally {
            log.detachAppender(captured);
        }

        assertThat(internal.accepted()).as("connections to the loopback service").isZero();
        // refused before any connection was tried (no route to these addresses here would hide a tried connection)
        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.contains(clientId) && line.contains("resolves to a"))
                .anyMatch(line -> line.contains(developmentClientId) && line.contains("non-public address"))
                .noneMatch(line -> line.contains("could not be fetched"));
    }

    @Test
    @Tag("SEC10-10")
    void the_hostile_test_names_really_answer_loopback_when_asked_again() throws Exception {
        String name = "rebind-e2e-precondition" + TestNamesResolverProvider.SUFFIX;

        assertThat(InetAddress.getByName(name).isLoopbackAddress()).isFalse();
        assertThat(InetAddress.getByName(name).isLoopbackAddress()).isTrue();
    }

    @Test
    @Tag("SEC10-10")
    void a_client_id_whose_name_rebinds_to_loopback_after_the_check_never_reaches_the_loopback_service() throws Exception {
        String clientId = "https://rebind-e2e" + TestNamesResolverProvider.SUFFIX + ":" + internal.port() + "/client.json";

        assertErrorPageWithoutRedirect(authorize(strict, clientId));
        assertThat(internal.accepted()).as("connections to the loopback service").isZero();
    }

    @Test
    @Tag("SEC10-10")
    void a_client_id_whose_name_the_dns_server_never_answers_gets_the_error_page_within_the_fetch_deadline() throws Exception {
        String clientId = "https://blocking-e2e" + TestNamesResolverProvider.SUFFIX + "/client.json";

        // bounded wait only: the fetch deadline is 5 s, the hostile name answers after a minute
        HttpResponse<String> page = HttpClient.newHttpClient().sendAsync(authorizeRequest(strict, "127.0.0.1", clientId),
                HttpResponse.BodyHandlers.ofString()).get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertErrorPageWithoutRedirect(page);
    }

    @Test
    @Tag("SEC10-10")
    void one_caller_makes_the_server_fetch_at_most_30_documents_a_minute_then_gets_429() throws Exception {
        try (HttpClient caller = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.250")).build()) {
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> refused = caller.send(authorizeRequest(development, "127.0.0.1", documents.url("/limit/" + i + ".json")),
                        HttpResponse.BodyHandlers.ofString());
                assertErrorPageWithoutRedirect(refused);
            }
            HttpResponse<String> limited = caller.send(authorizeRequest(development, "127.0.0.1", documents.url("/limit/30.json")),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(limited.headers().firstValue("Location")).isEmpty();
            assertThat(documents.hits()).as("nothing fetched past the limit").isEqualTo(30);
        }
        assertThat(authorize(development, documents.url("/limit/30.json")).statusCode()).as("another caller").isEqualTo(400);
        assertThat(documents.hits()).isEqualTo(31);
    }

    static HttpRequest authorizeRequest(RunningGatehouse gatehouse, String host, String clientId) {
        return HttpRequest.newBuilder(URI.create("http://" + host + ":" + gatehouse.gatehouse.port() + "/oauth/authorize?"
                + OAuthTestDriver.form(Map.of("response_type", "code", "client_id", clientId, "redirect_uri", REDIRECT,
                "code_challenge", CHALLENGE, "code_challenge_method", "S256", "state", "s", "scope", "mcp:read")))).build();
    }

    // ------------------------------------------------------------------ finding 12: dot segments

    @ParameterizedTest
    @Tag("SEC10-12")
    @ValueSource(strings = {"/app/../client.json", "/app/./client.json", "/app/%2e%2e/client.json", "/app/%2E./client.json",
            "/app/.%2e/client.json", "/app/%2e/client.json", "/app/..;/client.json", "/app%2f..%2fclient.json"})
    void a_client_id_url_with_dot_segments_gets_the_error_page_and_is_never_fetched(String path) throws Exception {
        String clientId = documents.serveValidDocumentFor(documents.url(path), path, REDIRECT);
        documents.serveValidDocumentFor(clientId, "/client.json", REDIRECT);

        assertErrorPageWithoutRedirect(authorize(development, clientId));
        assertThat(documents.hits()).isZero();
    }

    @ParameterizedTest
    @Tag("SEC10-12")
    @ValueSource(strings = {"https://user@public.ssrf.test/client.json", "https://public.ssrf.test/client.json#part",
            "https://public.ssrf.test", "https://public.ssrf.test/", "http://public.ssrf.test/client.json"})
    void a_client_id_url_the_draft_forbids_gets_the_error_page(String clientId) throws Exception {
        assertErrorPageWithoutRedirect(authorize(strict, clientId));
    }

    @Test
    @Tag("SEC10-12")
    void the_same_document_without_dot_segments_is_accepted() throws Exception {
        String clientId = documents.serveValidDocument("/app/client.json", REDIRECT);

        HttpResponse<String> page = authorize(development, clientId);

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Document App");
    }

    // ------------------------------------------------------------------ finding 5: the document cache is bounded

    @Test
    @Tag("SEC10-5")
    void thousands_of_refused_client_ids_leave_the_document_cache_at_its_bound() throws Exception {
        try (RunningGatehouse target = embedded("client-metadata-on-loopback", "true")) {
            String valid = documents.serveValidDocument("/app/client.json", REDIRECT);
            assertThat(authorize(target, valid).statusCode()).isEqualTo(200);
            int attempts = 2 * ClientMetadataDocuments.MAX_REFUSALS + 500;
            // from many loopback addresses, each within the per-caller fetch limit (SEC10-10), so that every made-up
            // client id is really fetched and refused and the bound of the cache is what is tested
            int perCaller = 25;
            List<Future<Integer>> statuses = new ArrayList<>();
            List<HttpClient> callers = new ArrayList<>();
            try (ExecutorService attackers = Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < attempts; i++) {
                    if (i % perCaller == 0) {
                        callers.add(HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0." + (2 + i / perCaller))).build());
                    }
                    HttpClient http = callers.getLast();
                    URI request = URI.create("http://127.0.0.1:" + target.gatehouse.port() + "/oauth/authorize?"
                            + OAuthTestDriver.form(Map.of("response_type", "code",
                            "client_id", documents.url("/flood/" + i + ".json"), "redirect_uri", REDIRECT, "code_challenge", CHALLENGE,
                            "code_challenge_method", "S256", "state", "s" + i, "scope", "mcp:read")));
                    statuses.add(attackers.submit(() -> http.send(HttpRequest.newBuilder(request).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode()));
                }
            } finally {
                callers.forEach(HttpClient::shutdownNow);
            }

            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(400);
            }
            assertThat(documents.hits()).as("every made-up client id was fetched once").isEqualTo(attempts + 1);
            assertThat(remembered(target)).as("one document and the refusals the bound allows")
                    .isLessThanOrEqualTo(ClientMetadataDocuments.MAX_REFUSALS + 1L);
            assertThat(authorize(target, valid).statusCode()).isEqualTo(200);
            assertThat(documents.hits("/app/client.json")).as("the real document was not pushed out").isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ finding 13: documents can be turned off

    @Test
    @Tag("SEC10-13")
    void with_client_metadata_documents_off_a_document_client_is_unknown_and_not_advertised() throws Exception {
        String clientId = documents.serveValidDocument("/app/client.json", REDIRECT);
        try (RunningGatehouse off = embedded("client-metadata-documents", "off", "client-metadata-on-loopback", "true")) {
            assertThat(metadata(off).has("client_id_metadata_document_supported")).isFalse();
            assertErrorPageWithoutRedirect(authorize(off, clientId));
            assertThat(documents.hits()).isZero();
        }
        assertThat(metadata(development).path("client_id_metadata_document_supported").asBoolean()).isTrue();
        assertThat(authorize(development, clientId).statusCode()).isEqualTo(200);
    }

    static JsonNode metadata(RunningGatehouse gatehouse) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base(gatehouse)
                .resolve("/.well-known/oauth-authorization-server")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return OAuthTestDriver.JSON.readTree(response.body());
    }
}
