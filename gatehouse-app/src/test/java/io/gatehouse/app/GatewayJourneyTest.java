package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.NodeTools;
import io.gatehouse.testkit.ServerEverything;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gatehouse guarding the real {@code @modelcontextprotocol/server-everything}, once as a stdio upstream (a child per
 * client session, {@code --upstream-command}) and once as a Streamable HTTP upstream ({@code --upstream}): the
 * official TypeScript SDK client, authenticated (the whole OAuth flow against the embedded authorization server for
 * stdio, a local-keys bearer token for HTTP), lists and calls tools, gets a prompt, reads a resource, follows the
 * progress of the long-running tool, answers the upstream's sampling and elicitation requests, and ends its session,
 * which ends the upstream session (and stops the stdio child). Each journey runs once ({@code gateway-journey.mjs});
 * the tests assert on its summary.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
@Tag("gateway")
class GatewayJourneyTest {

    static final String PASSWORD = "demo-password-for-gateway-journey";
    static final String TOKEN_ENV = "MCP_BEARER_TOKEN";
    static final Duration JOURNEY_TIMEOUT = Duration.ofMinutes(2);

    /** How the upstream is reached, and how the journey's client authenticates to Gatehouse. */
    enum Kind {
        /** {@code --upstream-command "node .../index.js stdio"}, {@code --auth embedded}, the SDK's OAuth flow as admin. */
        STDIO,
        /** {@code --upstream http://127.0.0.1:<port>/mcp}, {@code --auth local-keys}, admin's minted bearer token. */
        HTTP
    }

    /** What one journey left: the script's summary, and the stdio children of this JVM seen while its session was open. */
    record Journey(JsonNode seen, List<ProcessHandle> stdioChildrenWhileOpen) {
    }

    @TempDir
    static Path temp;
    static Path scripts;
    static ServerEverything.HttpProcess httpUpstream;
    static final Map<Kind, RunningGatehouse> GATEWAYS = new EnumMap<>(Kind.class);
    /** Each journey, run once on first use; a failed one fails every test that asks for it, without running again. */
    static final Map<Kind, CompletableFuture<Journey>> JOURNEYS = new EnumMap<>(Kind.class);
    static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-login.mjs", "gateway-journey.mjs")) {
            Files.copy(Path.of("src/test/node", script), scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        GATEWAYS.put(Kind.STDIO, RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD,
                "upstream-command", String.join(" ", ServerEverything.stdioCommand()), "management-port", "0",
                "data-dir", Files.createDirectories(temp.resolve("stdio")).toString()));
        httpUpstream = ServerEverything.startHttp();
        Path httpData = Files.createDirectories(temp.resolve("http"));
        RunningGatehouse http = RunningGatehouse.start("auth", "local-keys", "upstream", httpUpstream.mcpUrl().toString(),
                "management-port", "0", "data-dir", httpData.toString());
        GATEWAYS.put(Kind.HTTP, http);
        TokenMinter minter = new TokenMinter(LocalKeys.readPrivateKey(
                httpData.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE)));
        TokenMinter.Grant admin = TokenMinter.demoGrants().stream().filter(g -> g.username().equals("admin"))
                .findFirst().orElseThrow();
        adminToken = minter.mint(admin, "http://localhost:" + http.gatehouse.port(), List.of(http.mcpUrl().toString()),
                Duration.ofMinutes(10), Instant.now());
    }

    @AfterAll
    static void stop() throws Exception {
        for (RunningGatehouse gateway : GATEWAYS.values()) {
            gateway.close();
        }
        if (httpUpstream != null) {
            httpUpstream.close();
        }
    }

    /** The journey through this kind of upstream. */
    static synchronized Journey journey(Kind kind) {
        return JOURNEYS.computeIfAbsent(kind, k -> {
            try {
                return CompletableFuture.completedFuture(run(k));
            } catch (RuntimeException | AssertionError e) {
                return CompletableFuture.failedFuture(e);
            }
        }).join();
    }

    private static Journey run(Kind kind) {
        RunningGatehouse gateway = GATEWAYS.get(kind);
        String health = "http://127.0.0.1:" + gateway.gatehouse.managementPort().orElseThrow() + "/health";
        List<String> command = new ArrayList<>(List.of(NodeTools.node22().toString(),
                scripts.resolve("gateway-journey.mjs").toString(), gateway.mcpUrl().toString(), health));
        command.addAll(kind == Kind.STDIO ? List.of("oauth", "admin", PASSWORD) : List.of("bearer"));
        try {
            return drive(command, kind == Kind.HTTP ? Map.of(TOKEN_ENV, adminToken) : Map.of());
        } catch (IOException e) {
            throw new IllegalStateException("could not run the journey: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the script; when it prints {@code PAUSED} (its session is open, every call done) notes the stdio children
     * of this JVM running server-everything, then lets it end its session.
     */
    private static Journey drive(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(scripts.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder output = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the script ended
            }
            lines.add("\u0000EOF");
        });
        List<ProcessHandle> children = List.of();
        Instant deadline = Instant.now().plus(JOURNEY_TIMEOUT);
        try {
            while (true) {
                String line = lines.poll(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new AssertionError("the journey did not end within " + JOURNEY_TIMEOUT + ":\n" + output);
                }
                if (line.equals("\u0000EOF")) {
                    break;
                }
                output.append(line).append('\n');
                if (line.equals("PAUSED")) {
                    children = stdioChildren();
                    try (OutputStream stdin = process.getOutputStream()) {
                        stdin.write('\n');
                    }
                }
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(output.toString()).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as(output.toString()).isZero();
        String[] all = output.toString().strip().split("\n");
        return new Journey(JsonMapper.builder().build().readTree(all[all.length - 1]), children);
    }

    /** This JVM's children that run server-everything over stdio. */
    private static List<ProcessHandle> stdioChildren() {
        String entry = ServerEverything.entryScript().toString();
        return ProcessHandle.current().children().filter(p -> {
            List<String> arguments = p.info().arguments().map(List::of).orElse(List.of());
            return arguments.contains(entry) && arguments.getLast().equals("stdio");
        }).toList();
    }

    /** What Gatehouse sent the client of these methods, each as "{@code <the HTTP request whose stream carried it> <- <method>}". */
    private static List<String> streamed(JsonNode seen, String... methods) {
        return strings(seen.path("streamed")).stream()
                .filter(s -> List.of(methods).contains(s.substring(s.indexOf(" <- ") + 4))).toList();
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void the_client_meets_gatehouse_with_the_upstreams_capabilities_and_instructions(Kind kind) {
        JsonNode seen = journey(kind).seen();

        assertThat(seen.path("serverInfo").path("name").asString()).isEqualTo("gatehouse");
        assertThat(seen.path("serverInfo").toString()).doesNotContain("everything");
        assertThat(seen.path("instructions").asString()).isEqualTo(text(ServerEverything.docs().resolve("instructions.md")));
        assertThat(seen.path("capabilities").propertyNames()).contains("tools", "prompts", "resources", "logging");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void the_upstreams_tools_are_listed_and_called(Kind kind) {
        JsonNode seen = journey(kind).seen();

        assertThat(strings(seen.path("tools"))).containsExactlyInAnyOrder("echo", "get-annotated-message", "get-env",
                "get-resource-links", "get-resource-reference", "get-structured-content", "get-sum", "get-tiny-image",
                "gzip-file-as-resource", "toggle-simulated-logging", "toggle-subscriber-updates",
                "trigger-long-running-operation", "trigger-elicitation-request", "trigger-sampling-request",
                "simulate-research-query");
        assertThat(strings(seen.path("echo"))).containsExactly("Echo: through Gatehouse");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void a_prompt_is_got_with_its_arguments(Kind kind) {
        JsonNode seen = journey(kind).seen();

        assertThat(strings(seen.path("prompts"))).containsExactly("simple-prompt", "args-prompt", "completable-prompt",
                "resource-prompt");
        assertThat(seen.path("prompt").toString())
                .isEqualTo("[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"What's weather in Lyon, Rhône?\"}}]");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void a_listed_resource_is_read(Kind kind) {
        JsonNode seen = journey(kind).seen();
        String uri = "demo://resource/static/document/features.md";

        assertThat(strings(seen.path("resources"))).contains(uri);
        assertThat(seen.path("resource")).hasSize(1);
        JsonNode contents = seen.path("resource").get(0);
        assertThat(contents.path("uri").asString()).isEqualTo(uri);
        assertThat(contents.path("mimeType").asString()).isEqualTo("text/markdown");
        assertThat(contents.path("text").asString()).isEqualTo(text(ServerEverything.docs().resolve("features.md")));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Tag("T-08")
    void the_long_running_tools_progress_reaches_the_client_on_the_calls_stream_before_its_result(Kind kind) {
        JsonNode seen = journey(kind).seen();

        // the SDK hands a call's progress to its onprogress only while the call is open: all came before the result
        assertThat(streamed(seen, "notifications/progress")).containsExactly(
                "POST /mcp tools/call trigger-long-running-operation <- notifications/progress",
                "POST /mcp tools/call trigger-long-running-operation <- notifications/progress",
                "POST /mcp tools/call trigger-long-running-operation <- notifications/progress");
        assertThat(seen.path("progress").toString())
                .isEqualTo("[{\"progress\":1,\"total\":3},{\"progress\":2,\"total\":3},{\"progress\":3,\"total\":3}]");
        assertThat(strings(seen.path("longRunning"))).containsExactly("Long running operation completed. Duration: 1 seconds, Steps: 3.");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Tag("T-08")
    void the_upstreams_sampling_request_comes_on_the_calls_stream_and_the_clients_answer_reaches_the_tool(Kind kind) {
        JsonNode seen = journey(kind).seen();

        assertThat(streamed(seen, "sampling/createMessage"))
                .containsExactly("POST /mcp tools/call trigger-sampling-request <- sampling/createMessage");
        assertThat(seen.path("samplingRequests")).hasSize(1);
        JsonNode request = seen.path("samplingRequests").get(0);
        assertThat(request.path("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":{\"type\":\"text\","
                + "\"text\":\"Resource trigger-sampling-request context: What is the answer?\"}}]");
        assertThat(request.path("maxTokens").asInt()).isEqualTo(20);
        assertThat(request.path("systemPrompt").asString()).isEqualTo("You are a helpful test server.");
        assertThat(strings(seen.path("sampling"))).singleElement().asString()
                .startsWith("LLM sampling result: \n")
                .contains("\"model\": \"gatehouse-canned-model\"", "\"text\": \"The canned answer is forty-two.\"");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Tag("T-08")
    void the_upstreams_elicitation_request_comes_on_the_calls_stream_and_the_clients_answer_reaches_the_tool(Kind kind) {
        JsonNode seen = journey(kind).seen();

        assertThat(streamed(seen, "elicitation/create"))
                .containsExactly("POST /mcp tools/call trigger-elicitation-request <- elicitation/create");
        assertThat(seen.path("elicitationRequests").toString())
                .isEqualTo("[{\"message\":\"Please provide inputs for the following fields:\",\"required\":[\"name\"]}]");
        assertThat(strings(seen.path("elicitation"))).startsWith("✅ User provided the requested information!",
                "User inputs:\n- Name: Journey Tester\n- Agreed to terms: true\n- Email: journey@example.com\n- Favorite Integer: 7");
    }

    @Test
    @Tag("RS-02")
    @Tag("RS-07")
    void the_stdio_journeys_client_logged_in_through_the_embedded_authorization_server_first() {
        JsonNode seen = journey(Kind.STDIO).seen();

        assertThat(strings(seen.path("requests"))).startsWith("POST /mcp initialize -> 401")
                .contains("GET /.well-known/oauth-protected-resource/mcp -> 200", "POST /oauth/register -> 201",
                        "POST /oauth/token -> 200", "POST /mcp initialize -> 200");
        assertThat(seen.path("authorizationParams").path("resource").asString())
                .isEqualTo(GATEWAYS.get(Kind.STDIO).mcpUrl().toString());
        assertThat(seen.path("grantedScope").asString().split(" ")).containsExactlyInAnyOrder("mcp:read", "mcp:tools", "mcp:prompts");
    }

    @Test
    @Tag("RS-07")
    @Tag("RS-09")
    void the_http_journeys_client_sent_its_bearer_token_and_without_it_gatehouse_answers_401() {
        JsonNode seen = journey(Kind.HTTP).seen();

        assertThat(strings(seen.path("requests"))).startsWith("POST /mcp initialize -> 200").noneMatch(r -> r.endsWith("-> 401"));
        McpReply anonymous = GATEWAYS.get(Kind.HTTP).client().call("initialize", Map.of("protocolVersion", "2025-11-25",
                "capabilities", Map.of(), "clientInfo", Map.of("name", "anonymous", "version", "1")));
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Tag("T-12")
    void ending_the_client_session_ends_its_upstream_session(Kind kind) {
        JsonNode seen = journey(kind).seen();

        assertThat(strings(seen.path("requests"))).contains("DELETE /mcp -> 200");
        assertThat(seen.path("healthDuring").toString()).isEqualTo("[{\"state\":\"up\",\"openSessions\":1}]");
        assertThat(seen.path("healthAfterDelete").toString()).isEqualTo("[{\"state\":\"up\",\"openSessions\":0}]");
        assertThat(GATEWAYS.get(kind).managementHealth().path("upstreams").get(0).path("openSessions").asInt()).isZero();
    }

    @Test
    @Tag("T-12")
    void the_stdio_child_of_the_session_runs_while_it_is_open_and_exits_when_it_ends() throws Exception {
        List<ProcessHandle> children = journey(Kind.STDIO).stdioChildrenWhileOpen();

        assertThat(children).hasSize(1);
        assertThat(children.getFirst().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(stdioChildren()).isEmpty();
    }
}
