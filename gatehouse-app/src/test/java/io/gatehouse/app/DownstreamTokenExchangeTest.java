package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.server.internal.Gatehouse;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.Settings;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17 points 2: a tool of a library server calls a downstream API as the user. The server runs the embedded
 * authorization server; its tool asks {@code ctx.downstreamToken("reports")} and calls a downstream HTTP service of
 * this test, which verifies the JWT against Gatehouse's JWKS with its own audience. alice and bob each reach it as
 * themselves, with Gatehouse's configured client as actor; neither MCP token is ever accepted downstream, nor an
 * exchanged token at {@code /mcp}; failures are tool errors the model can read.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-17")
@Tag("RFC8693")
class DownstreamTokenExchangeTest {

    static final String PASSWORD = "demo-password-for-tests";
    static final String AUDIENCE = "reports-api";
    static final String EXCHANGE_CLIENT = "gatehouse-tools";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;
    static DownstreamApi api;
    static Gatehouse gatehouse;
    static String aliceToken;
    static String bobToken;

    @BeforeAll
    static void start() throws Exception {
        api = DownstreamApi.start(AUDIENCE);
        Path config = Files.writeString(data.resolve("gatehouse.yaml"), """
                clients:
                  - client-id: %s
                    grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: TOOLS_SECRET
                    token-exchange-audiences: [%s]
                downstreams:
                  reports:
                    audience: %s
                    issuer: embedded
                    client-id: %s
                  too-wide:
                    audience: %s
                    issuer: embedded
                    client-id: %s
                    scopes: [mcp:prompts]
                """.formatted(EXCHANGE_CLIENT, AUDIENCE, AUDIENCE, EXCHANGE_CLIENT, AUDIENCE, EXCHANGE_CLIENT));
        GatehouseConfig settings = GatehouseConfig.from(Settings.load(Optional.of(config), Optional.empty(),
                Map.of("TOOLS_SECRET", "tools-secret-for-tests"), Map.of("port", "0", "auth", "embedded", "demo-password", PASSWORD,
                        "data-dir", data.resolve("gatehouse-data").toString())));
        gatehouse = Gatehouse.start(settings, new Gatehouse.Features("downstream-test", "1",
                (builder, clock) -> builder.tool(DownstreamReportTool.report(api.url()))));
        URI base = URI.create("http://localhost:" + gatehouse.port());
        api.trust(base.toString(), base.resolve("/oauth/jwks"));
        String redirect = "http://127.0.0.1:9/callback";
        String client = new OAuthTestDriver(base).register(redirect).path("client_id").asString();
        aliceToken = OAuthTestDriver.logIn(base, client, redirect, "v".repeat(50), "alice", PASSWORD).path("access_token").asString();
        bobToken = OAuthTestDriver.logIn(base, client, redirect, "w".repeat(50), "bob", PASSWORD).path("access_token").asString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (api != null) {
            api.close();
        }
    }

    static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    static McpReply report(String token, String downstream) {
        return McpTestClient.to(gatehouse.mcpUrl()).header("Authorization", "Bearer " + token).initialize()
                .call("tools/call", Map.of("name", "report", "arguments", Map.of("downstream", downstream)));
    }

    static JsonNode answer(McpReply reply) {
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result().path("isError").asBoolean(false)).as(reply.body()).isFalse();
        return JSON.readTree(reply.result().path("content").get(0).path("text").asString());
    }

    static String errorText(McpReply reply) {
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().has("error")).as("a tool error, not a JSON-RPC error: " + reply.body()).isFalse();
        assertThat(reply.result().path("isError").asBoolean(false)).as(reply.body()).isTrue();
        return reply.result().path("content").get(0).path("text").asString();
    }

    @Test
    void alice_and_bob_each_reach_the_downstream_as_themselves_with_its_audience_and_gatehouse_as_actor() {
        JsonNode alice = answer(report(aliceToken, "reports"));
        JsonNode bob = answer(report(bobToken, "reports"));
        assertThat(alice.path("sub").asString()).isEqualTo(claims(aliceToken).path("sub").asString());
        assertThat(bob.path("sub").asString()).isEqualTo(claims(bobToken).path("sub").asString());
        assertThat(alice.path("sub").asString()).isNotEqualTo(bob.path("sub").asString());
        for (JsonNode seen : List.of(alice, bob)) {
            assertThat(seen.path("aud").valueStream().map(JsonNode::asString).toList()).containsExactly(AUDIENCE);
            assertThat(seen.path("act").asString()).isEqualTo(EXCHANGE_CLIENT);
        }
    }

    @Test
    void a_second_call_reuses_the_exchanged_token_until_shortly_before_it_expires() {
        String first = answer(report(aliceToken, "reports")).path("jti").asString();
        String second = answer(report(aliceToken, "reports")).path("jti").asString();
        assertThat(first).isNotBlank();
        assertThat(second).isEqualTo(first);
        assertThat(answer(report(bobToken, "reports")).path("jti").asString()).isNotEqualTo(first);
    }

    @Test
    @Tag("attack")
    void the_downstream_refuses_the_mcp_token_itself() throws Exception {
        int refusedBefore = api.refusedCount();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.url()).header("Authorization", "Bearer " + aliceToken)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(api.refusedCount()).isEqualTo(refusedBefore + 1);
    }

    @Test
    @Tag("attack")
    @Tag("RS-07")
    void mcp_refuses_an_exchanged_token() {
        answer(report(aliceToken, "reports"));
        String exchanged = api.seen().getLast().token();
        McpReply reply = McpTestClient.to(gatehouse.mcpUrl()).header("Authorization", "Bearer " + exchanged)
                .call("tools/list", Map.of());
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
    }

    @Test
    @Tag("attack")
    void an_exchange_the_authorization_server_refuses_is_a_tool_error_the_model_can_read() {
        assertThat(errorText(report(aliceToken, "too-wide"))).contains("too-wide", "invalid_scope");
    }

    @Test
    void an_unknown_downstream_is_a_tool_error_naming_it() {
        assertThat(errorText(report(aliceToken, "nowhere"))).contains("no downstream API named 'nowhere'");
    }

    @Test
    @Tag("attack")
    void neither_the_caller_token_nor_the_exchanged_token_is_ever_logged() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            answer(report(bobToken, "reports"));
            errorText(report(bobToken, "too-wide"));
        } finally {
            root.detachAppender(captured);
        }
        String exchanged = api.seen().getLast().token();
        assertThat(captured.list).isNotEmpty();
        assertThat(captured.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                .doesNotContain(bobToken).doesNotContain(exchanged).doesNotContain("tools-secret-for-tests"));
    }
}
