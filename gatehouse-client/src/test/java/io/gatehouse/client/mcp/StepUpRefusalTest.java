package io.gatehouse.client.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.client.mcp.FakeServer.Answer;
import io.gatehouse.client.mcp.FakeServer.Received;
import io.gatehouse.client.oauth.ClientOptions;
import io.gatehouse.client.oauth.CredentialStore;
import io.gatehouse.client.oauth.Credentials;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import io.gatehouse.client.oauth.OAuthClientException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 403 {@code insufficient_scope} is a step-up (CL-03) only when it names a scope the token lacks: a refusal that
 * names none (a role the user lacks) or only scopes already held is reported at once with the server's words,
 * without opening a login (issue 15, point 6).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("CL-03")
class StepUpRefusalTest {

    static final String ROLE_REFUSAL = "Bearer error=\"insufficient_scope\", error_description=\"The tool server_info requires "
            + "the role admin\", resource_metadata=\"http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp\"";

    final List<URI> opened = new CopyOnWriteArrayList<>();

    static Answer refusing(Received request, String challenge) {
        if (request.method().equals("tools/call")) {
            return new Answer(403, "{\"jsonrpc\":\"2.0\",\"id\":" + request.body().path("id")
                    + ",\"error\":{\"code\":-32001,\"message\":\"insufficient_scope\"}}", Map.of("WWW-Authenticate", challenge));
        }
        return McpClientEraTest.modernServer(request);
    }

    McpAuthorizer authorizerHolding(URI server, String scope) throws Exception {
        ClientOptions options = new ClientOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true, false,
                url -> {
                    opened.add(url);
                    throw new OAuthClientException("this test opens no browser");
                }, Duration.ofSeconds(5), "step-up-test");
        CredentialStore store = new CredentialStore(Files.createTempDirectory("step-up-test").resolve("credentials.json"));
        store.save(new Credentials("http://127.0.0.1:1", Optional.of(URI.create("http://127.0.0.1:1/.well-known/oauth-authorization-server")),
                "cli", Optional.empty(), "none", Optional.of(new Credentials.Tokens(server.toString(), "held-access-token",
                Optional.empty(), scope, Instant.now().plus(Duration.ofHours(1))))));
        return new McpAuthorizer(new Http(), store, options, Clock.systemUTC());
    }

    @Test
    void a_refusal_naming_no_scope_is_reported_at_once_with_the_servers_description_and_no_login() throws Exception {
        try (FakeServer server = new FakeServer(r -> refusing(r, ROLE_REFUSAL))) {
            McpAuthorizer authorizer = authorizerHolding(server.url(), "mcp:tools");
            try (McpClient client = new McpClient(server.url(), new Http(), authorizer)) {
                assertThatThrownBy(() -> client.request("tools/call", McpClientEraTest.call("server_info", "{}")))
                        .isInstanceOf(OAuthClientException.class)
                        .hasMessageContaining("refused access (403)")
                        .hasMessageContaining("The tool server_info requires the role admin");
            }
            assertThat(authorizer.authorizations()).as("no authorization was started").isZero();
            assertThat(opened).as("no browser was opened").isEmpty();
            assertThat(server.methods().stream().filter("tools/call"::equals)).hasSize(1);
            assertThat(server.last("tools/call").headers()).containsEntry("authorization", "Bearer held-access-token");
        }
    }

    @Test
    void a_refusal_naming_only_scopes_already_held_is_reported_at_once() throws Exception {
        String challenge = "Bearer error=\"insufficient_scope\", scope=\"mcp:tools\", error_description=\"not for you\"";
        try (FakeServer server = new FakeServer(r -> refusing(r, challenge))) {
            McpAuthorizer authorizer = authorizerHolding(server.url(), "mcp:read mcp:tools");
            try (McpClient client = new McpClient(server.url(), new Http(), authorizer)) {
                assertThatThrownBy(() -> client.request("tools/call", McpClientEraTest.call("echo", "{}")))
                        .isInstanceOf(OAuthClientException.class).hasMessageContaining("not for you");
            }
            assertThat(authorizer.authorizations()).isZero();
            assertThat(opened).isEmpty();
        }
    }

    @Test
    void a_refusal_naming_a_scope_the_token_lacks_still_steps_up() throws Exception {
        String challenge = "Bearer error=\"insufficient_scope\", scope=\"mcp:deploy\", error_description=\"needs mcp:deploy\"";
        try (FakeServer server = new FakeServer(r -> refusing(r, challenge))) {
            McpAuthorizer authorizer = authorizerHolding(server.url(), "mcp:tools");
            try (McpClient client = new McpClient(server.url(), new Http(), authorizer)) {
                // the fake server has no authorization server, so the step-up fails; what matters is that it was tried
                assertThatThrownBy(() -> client.request("tools/call", McpClientEraTest.call("deploy", "{}"))).isInstanceOf(RuntimeException.class);
            }
            assertThat(authorizer.authorizations()).as("a step-up was started").isEqualTo(1);
        }
    }
}
