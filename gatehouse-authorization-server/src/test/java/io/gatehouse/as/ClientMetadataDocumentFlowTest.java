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
import io.gatehouse.as.web.AsResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
}
