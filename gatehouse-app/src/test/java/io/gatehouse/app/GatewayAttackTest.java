package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.NodeTools;
import io.gatehouse.testkit.McpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Security review of the gateway (issue 12), against one Gatehouse (local-keys) with two stdio upstreams: a careless
 * and hostile one without a prefix ({@code hostile-upstream.mjs}: it looks names up with {@code String(name)}, lists
 * a tool named with the other upstream's prefix, floods the client with sampling requests; max-sessions 4) and the
 * paging server with prefix {@code other_}; and an HTTP upstream that is down, whose URL carries an API key. The {@code access:} rules keep {@code secret}, {@code secret_prompt} and
 * {@code file:///secret} and the template {@code file:///vault/{name}} for the role {@code admin}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class GatewayAttackTest {

    static final List<String> BASIC = List.of("mcp:read", "mcp:tools", "mcp:prompts");

    @TempDir
    static Path dir;
    static CapturedLog log;
    static RunningGatehouse gatehouse;
    static TokenMinter minter;
    /** The base scopes, role user: not the secrets. */
    static McpTestClient bob;
    /** The base scopes, role admin: the secrets. */
    static McpTestClient alice;

    @BeforeAll
    static void start() throws Exception {
        List<String> hostile = List.of(NodeTools.node22().toString(),
                Path.of("src/test/node/hostile-upstream.mjs").toAbsolutePath().toString());
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                upstreams:
                  - name: hostile
                    command: %s
                    max-sessions: 4
                  - name: other
                    prefix: other_
                    command: %s
                  - name: down
                    prefix: down_
                    url: http://127.0.0.1:1/mcp?api_key=LEAKED-KEY
                    timeout: 5s
                access:
                  tools:
                    secret: { roles: [admin] }
                  prompts:
                    secret_prompt: { roles: [admin] }
                  resources:
                    "file:///secret": { roles: [admin] }
                    "file:///vault/{name}": { roles: [admin] }
                """.formatted(FastMcpUpstream.yamlList(hostile), FastMcpUpstream.yamlList(FastMcpUpstream.paging())));
        Path data = dir.resolve("data");
        log = new CapturedLog();
        gatehouse = RunningGatehouse.start("auth", "local-keys",
                "data-dir", data.toString(), "config", config.toString());
        minter = new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE)));
        bob = session("bob", List.of("user"));
        alice = session("alice", List.of("admin"));
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
        log.close();
    }

    static McpTestClient session(String user, List<String> roles) throws Exception {
        return client(user, roles).initialize();
    }

    static McpTestClient client(String user, List<String> roles) throws Exception {
        String token = minter.mint(new TokenMinter.Grant("user_" + user, user, BASIC, roles),
                "http://localhost:" + gatehouse.gatehouse.port(), List.of(gatehouse.mcpUrl().toString()),
                Duration.ofMinutes(10), Instant.now());
        return gatehouse.client().header("Authorization", "Bearer " + token);
    }

    static String text(McpReply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().has("error")).as(reply.body()).isFalse();
        return reply.result().path("content").get(0).path("text").asString();
    }

    static List<String> toolNames(McpTestClient client) {
        List<String> names = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            JsonNode result = client.call("tools/list", params).result();
            result.path("tools").forEach(t -> names.add(t.path("name").asString()));
            if (!result.has("nextCursor")) {
                return names;
            }
            params.put("cursor", result.path("nextCursor").asString());
        }
        throw new AssertionError("no last page after 20: " + names);
    }

    @Test
    @Tag("RS-11")
    void the_rules_hold_for_the_names_as_written() {
        assertThat(bob.call("tools/call", Map.of("name", "secret", "arguments", Map.of())).status()).isEqualTo(403);
        assertThat(bob.call("prompts/get", Map.of("name", "secret_prompt")).status()).isEqualTo(403);
        assertThat(bob.call("completion/complete", Map.of("ref", Map.of("type", "ref/prompt", "name", "secret_prompt"),
                "argument", Map.of("name", "a", "value", ""))).status()).isEqualTo(403);
        assertThat(bob.call("resources/read", Map.of("uri", "file:///secret")).status()).isEqualTo(403);
        assertThat(bob.call("resources/subscribe", Map.of("uri", "file:///secret")).status()).isEqualTo(403);
        assertThat(text(alice.call("tools/call", Map.of("name", "secret", "arguments", Map.of()))))
                .isEqualTo("SECRET-TOOL-RESULT");
    }

    @Test
    @Tag("RS-11")
    void a_name_or_uri_that_is_not_a_string_never_reaches_an_upstream() {
        List<McpReply> replies = List.of(
                bob.call("tools/call", Map.of("name", List.of("secret"), "arguments", Map.of())),
                bob.call("tools/call", Map.of("name", Map.of("0", "secret"), "arguments", Map.of())),
                bob.call("prompts/get", Map.of("name", List.of("secret_prompt"))),
                bob.call("resources/read", Map.of("uri", List.of("file:///secret"))),
                bob.call("completion/complete", Map.of("ref", Map.of("type", "ref/prompt", "name", List.of("secret_prompt")),
                        "argument", Map.of("name", "a", "value", ""))));

        for (McpReply reply : replies) {
            assertThat(reply.body()).doesNotContain("SECRET-");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.error().path("code").asInt()).as(reply.body()).isEqualTo(-32602);
        }
    }

    @Test
    void one_principal_cannot_take_every_session_of_an_upstream_from_the_others() throws Exception {
        List<McpTestClient> mallory = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // the hostile upstream's max-sessions
            mallory.add(session("mallory", List.of("user")));
        }
        McpTestClient carol = session("carol", List.of("user"));
        try {
            assertThat(text(carol.call("tools/call", Map.of("name", "public_echo", "arguments", Map.of()))))
                    .isEqualTo("echo");
            assertThat(text(mallory.getLast().call("tools/call", Map.of("name", "public_echo", "arguments", Map.of()))))
                    .isEqualTo("echo");
            // her share is a quarter of the upstream's sessions (here one): opening more ended her older ones
            assertThat(mallory.getFirst().call("tools/call", Map.of("name", "public_echo", "arguments", Map.of())).status())
                    .isEqualTo(404);
        } finally {
            carol.delete();
            mallory.forEach(McpTestClient::delete);
        }
    }

    @Test
    void an_upstream_that_floods_the_client_with_sampling_requests_gets_most_of_them_refused() {
        String answer = text(bob.call("tools/call", Map.of("name", "ask_many", "arguments", Map.of())));

        // at most 16 of its 100 requests reach the client at once; the others are refused at the gateway
        assertThat(Integer.parseInt(answer.replace("refused ", ""))).isGreaterThanOrEqualTo(84);
    }

    @Test
    void an_upstream_cannot_list_a_tool_under_the_prefix_of_another() {
        List<String> names = toolNames(alice);

        assertThat(names).containsOnlyOnce("other_page_tool_1").contains("public_echo", "other_page_tool_2");
        assertThat(names).noneMatch(name -> name.contains("forged"));
        // the warnings name what was left out, neutralised: upstream strings forge no log line
        assertThat(log.text()).contains("left out", "forged stderr line").doesNotContain("\u001b")
                .doesNotContain("\r").doesNotContain("\n2026-01-01 INFO forged");
        assertThat(text(alice.call("tools/call", Map.of("name", "other_page_tool_1", "arguments", Map.of()))))
                .isEqualTo("paging answered page_tool_1");
    }

    @Test
    void the_stdio_child_sees_only_the_variables_a_process_needs() {
        String names = text(bob.call("tools/call", Map.of("name", "environment", "arguments", Map.of())));

        assertThat(List.of(names.split(","))).isSubsetOf("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE",
                "TMPDIR", "TEMP", "TMP", "TZ", "USER", "LOGNAME");
    }

    @Test
    void an_upstream_url_s_query_which_may_hold_a_key_reaches_neither_the_client_nor_the_log() {
        McpReply reply = bob.call("tools/call", Map.of("name", "down_anything", "arguments", Map.of()));

        assertThat(reply.error().path("message").asString()).contains("upstream 'down' is unavailable");
        assertThat(reply.body()).doesNotContain("LEAKED-KEY");
        assertThat(log.text()).contains("down").doesNotContain("LEAKED-KEY");
    }

    @Test
    void malformed_relayed_requests_get_a_json_rpc_error_never_a_500() {
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("name", null);
        List<McpReply> replies = List.of(
                bob.call("tools/call", Map.of()),
                bob.call("tools/call", nulls),
                bob.call("prompts/get", Map.of("name", 7)),
                bob.call("resources/read", Map.of()),
                bob.call("resources/subscribe", Map.of("uri", Map.of())),
                bob.call("completion/complete", Map.of("ref", Map.of("type", "ref/prompt"))),
                bob.call("completion/complete", Map.of("ref", "ref/prompt")),
                bob.call("tools/list", Map.of("cursor", Map.of("gw1", 0))),
                bob.call("tools/list", Map.of("cursor", "x".repeat(100_000))),
                bob.call("logging/setLevel", Map.of("level", List.of())));

        for (McpReply reply : replies) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.error().path("code").asInt()).as(reply.body()).isIn(-32602, -32601);
            assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    @Tag("RS-11")
    @Tag("RS-19")
    void a_rule_for_an_upstream_s_uri_template_guards_reading_its_uris_as_for_a_template_of_gatehouse_s_own() {
        McpReply read = bob.call("resources/read", Map.of("uri", "file:///vault/alpha"));
        McpReply subscribe = bob.call("resources/subscribe", Map.of("uri", "file:///vault/alpha"));
        JsonNode templates = bob.call("resources/templates/list", Map.of()).result().path("resourceTemplates");

        assertThat(read.status()).as(read.body()).isEqualTo(403);
        assertThat(read.body()).contains("requires the role admin").doesNotContain("SECRET-");
        assertThat(subscribe.status()).isEqualTo(403);
        assertThat(templates.findValuesAsString("uriTemplate")).doesNotContain("file:///vault/{name}");
        assertThat(alice.call("resources/read", Map.of("uri", "file:///vault/alpha")).body()).contains("SECRET-VAULT-TEXT");
    }

    @Test
    @Tag("RS-19")
    void a_listed_item_whose_name_is_not_a_string_is_left_out_rather_than_shown_unchecked() {
        JsonNode tools = bob.call("tools/list", Map.of()).result().path("tools");

        assertThat(tools).isNotEmpty().allSatisfy(tool -> assertThat(tool.path("name").isString()).as(tool.toString()).isTrue());
        assertThat(tools.toString()).doesNotContain("the secret tool");
    }

    @Test
    @Tag("T-12")
    void another_user_cannot_use_end_or_answer_for_a_session_whose_id_they_learned() throws Exception {
        McpTestClient eve = client("eve", List.of("user"));
        String[] bobs = {"Mcp-Session-Id", bob.sessionId(), "MCP-Protocol-Version", McpTestClient.PROTOCOL_VERSION};

        McpReply call = eve.post("""
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"public_echo","arguments":{}}}""", bobs);
        McpReply answer = eve.post("""
                {"jsonrpc":"2.0","id":"srv-00000000000000000000000000000000","result":{"role":"assistant"}}""", bobs);
        McpReply end = eve.delete(bobs);

        assertThat(List.of(call.status(), answer.status(), end.status())).containsOnly(404);
        assertThat(text(bob.call("tools/call", Map.of("name", "public_echo", "arguments", Map.of())))).isEqualTo("echo");
    }

    @Test
    void a_list_result_that_is_not_an_object_leaves_that_upstream_out_of_the_merged_list() {
        McpReply prompts = bob.call("prompts/list", Map.of());

        assertThat(prompts.status()).isEqualTo(200);
        assertThat(prompts.json().has("error")).as(prompts.body()).isFalse();
        assertThat(prompts.result().path("prompts").isArray()).isTrue();
        assertThat(log.text()).doesNotContain("ClassCastException");
    }
}
