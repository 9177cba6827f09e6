package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
 * Three stdio upstreams from the config file's {@code upstreams:} section, each with its prefix: two FastMCP servers
 * ({@code east_}, {@code west_}; the same tools, so only the prefix tells them apart) and a server whose
 * {@code tools/list} has pages of two ({@code paged_}). A client following {@code nextCursor} sees every tool once,
 * prefixed; calls go to the upstream the prefix names; an unknown prefix and a cursor Gatehouse or the upstream did
 * not hand out are {@code -32602}; and the {@code access:} rules, written for the prefixed names, decide who sees and
 * calls {@code east_salary_report} (scope {@code mcp:payroll}) and {@code west_salary_report} (role {@code hr}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
class SeveralUpstreamsTest {

    static final List<String> EVERY_TOOL = List.of("east_add", "east_whoami", "east_salary_report", "paged_page_tool_1",
            "paged_page_tool_2", "paged_page_tool_3", "paged_page_tool_4", "paged_page_tool_5", "west_add", "west_whoami",
            "west_salary_report");

    @TempDir
    static Path dir;
    static RunningGatehouse gatehouse;
    /** mcp:read mcp:tools, role user: neither report. */
    static McpTestClient carol;
    /** mcp:read mcp:tools mcp:payroll, role hr: both reports. */
    static McpTestClient dave;

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                upstreams:
                  - name: east
                    prefix: east_
                    command: %s
                  - name: paging
                    prefix: paged_
                    command: %s
                  - name: west
                    prefix: west_
                    command: %s
                    timeout: 20s
                access:
                  tools:
                    east_salary_report: { scopes: [mcp:payroll] }
                    west_salary_report: { roles: [hr] }
                """.formatted(FastMcpUpstream.yamlList(FastMcpUpstream.fastMcp("east")),
                FastMcpUpstream.yamlList(FastMcpUpstream.paging()),
                FastMcpUpstream.yamlList(FastMcpUpstream.fastMcp("west"))));
        Path data = dir.resolve("data");
        gatehouse = RunningGatehouse.start("auth", "local-keys", "data-dir", data.toString(), "config", config.toString());
        TokenMinter minter = new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE)));
        carol = session(minter, new TokenMinter.Grant("user_carol", "carol", List.of("mcp:read", "mcp:tools"), List.of("user")));
        dave = session(minter, new TokenMinter.Grant("user_dave", "dave", List.of("mcp:read", "mcp:tools", "mcp:payroll"),
                List.of("hr")));
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    static McpTestClient session(TokenMinter minter, TokenMinter.Grant grant) throws Exception {
        String token = minter.mint(grant, "http://localhost:" + gatehouse.gatehouse.port(),
                List.of(gatehouse.mcpUrl().toString()), Duration.ofMinutes(10), Instant.now());
        return gatehouse.client().header("Authorization", "Bearer " + token).initialize();
    }

    /** Each page's tool names, following {@code nextCursor} until there is none (at most 20 pages). */
    static List<List<String>> pages(McpTestClient client) {
        List<List<String>> pages = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            JsonNode result = client.call("tools/list", params).result();
            pages.add(result.path("tools").valueStream().map(t -> t.path("name").asString()).toList());
            if (!result.has("nextCursor")) {
                return pages;
            }
            params.put("cursor", result.path("nextCursor").asString());
        }
        throw new AssertionError("no last page after 20: " + pages);
    }

    static McpReply call(McpTestClient client, String tool, Map<String, ?> arguments) {
        return client.call("tools/call", Map.of("name", tool, "arguments", arguments));
    }

    static String text(McpReply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.result().path("content").get(0).path("text").asString();
    }

    static String cursor(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void following_next_cursor_shows_every_tool_of_every_upstream_once_with_its_prefix() {
        List<List<String>> pages = pages(dave);

        assertThat(pages.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(EVERY_TOOL);
        // a page comes from one upstream; the paging upstream's own pages are kept
        assertThat(pages).extracting(List::size).containsExactly(3, 2, 2, 1, 3);
    }

    @Test
    @Tag("RS-19")
    void the_access_rules_for_the_prefixed_names_hide_both_reports_from_carol_across_the_pages() {
        List<String> seen = pages(carol).stream().flatMap(List::stream).toList();

        assertThat(seen).containsExactlyElementsOf(EVERY_TOOL.stream()
                .filter(name -> !name.endsWith("_salary_report")).toList());
    }

    @Test
    void a_call_goes_to_the_upstream_its_prefix_names() {
        assertThat(text(call(dave, "east_whoami", Map.of()))).isEqualTo("east");
        assertThat(text(call(dave, "west_whoami", Map.of()))).isEqualTo("west");
        assertThat(text(call(carol, "west_add", Map.of("a", 20, "b", 22)))).isEqualTo("42");
        assertThat(text(call(carol, "paged_page_tool_4", Map.of()))).isEqualTo("paging answered page_tool_4");
    }

    @Test
    void a_name_without_a_known_prefix_is_invalid_params() {
        for (String name : List.of("north_whoami", "whoami", "east_", "page_tool_1")) {
            McpReply reply = call(dave, name, Map.of());
            assertThat(reply.status()).as(name).isEqualTo(200);
            assertThat(reply.error().path("code").asInt()).as(name).isEqualTo(-32602);
            assertThat(reply.error().path("message").asString()).as(name).isEqualTo("Unknown tool: " + name);
        }
    }

    @Test
    @Tag("attack")
    void a_cursor_that_was_never_handed_out_is_invalid_params() {
        for (String forged : List.of("not-a-cursor", cursor("gw1:9"), cursor("gw1:-1"), cursor("gw1:x:after-2"),
                cursor("gw2:0"), cursor("gw1:1:after-99"), cursor("gw1:1:bogus"))) {
            McpReply reply = dave.call("tools/list", Map.of("cursor", forged));
            assertThat(reply.status()).as(forged).isEqualTo(200);
            assertThat(reply.error().path("code").asInt()).as(forged).isEqualTo(-32602);
        }
    }

    @Test
    @Tag("RS-11")
    @Tag("attack")
    void the_access_rules_for_the_prefixed_names_refuse_carol_by_scope_and_by_role() {
        McpReply byScope = call(carol, "east_salary_report", Map.of("team", "ops"));
        assertThat(byScope.status()).isEqualTo(403);
        assertThat(byScope.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("error=\"insufficient_scope\"").contains("scope=\"mcp:payroll\""));

        McpReply byRole = call(carol, "west_salary_report", Map.of("team", "ops"));
        assertThat(byRole.status()).isEqualTo(403);
        assertThat(byRole.body()).contains("requires the role hr").doesNotContain("salary report for");
    }

    @Test
    void dave_who_holds_the_scope_and_the_role_gets_both_reports_from_their_own_upstreams() {
        assertThat(text(call(dave, "east_salary_report", Map.of("team", "ops"))))
                .isEqualTo("east salary report for ops: 3 people, 210000 EUR");
        assertThat(text(call(dave, "west_salary_report", Map.of("team", "ops"))))
                .isEqualTo("west salary report for ops: 3 people, 210000 EUR");
    }
}
