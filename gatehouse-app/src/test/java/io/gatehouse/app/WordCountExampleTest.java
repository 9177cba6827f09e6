package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.McpTestClient;
import io.gatehouse.testkit.NodeTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code examples/word-count} as a user meets it: built with Maven on its own (parent-less, Gatehouse from the BOM
 * and {@code gatehouse-server} that {@code ./mvnw install} put in the local repository, offline), started with
 * {@code java -jar} and its embedded authorization server, and used by the official TypeScript SDK client, which
 * logs in as a demo user and calls the example's tools.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
class WordCountExampleTest {

    static final Path EXAMPLE = Path.of("..", "examples", "word-count").toAbsolutePath().normalize();
    static final String PASSWORD = "word-count-demo-password";
    static final Pattern SERVING = Pattern.compile("serving MCP at (http://\\S+/mcp)");

    static Process server;
    static final StringBuffer serverOutput = new StringBuffer();
    static URI mcpUrl;
    static Path scripts;

    @BeforeAll
    static void build_and_start_the_example() throws Exception {
        ExternalProcess.Outcome build = ExternalProcess.run(mavenCommand(), EXAMPLE,
                Map.of("JAVA_HOME", System.getProperty("java.home")), Duration.ofMinutes(5));
        assertThat(build.exitCode()).as("mvn package of examples/word-count:\n%s", build.output()).isZero();
        Path jar = EXAMPLE.resolve("target/word-count.jar");
        assertThat(jar).exists();

        scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-login.mjs", "sdk-word-count.mjs")) {
            Files.copy(Path.of("src/test/node", script), scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }

        Path data = Files.createTempDirectory("word-count-data");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", "0", "--data-dir", data.toString())
                .directory(data.toFile()).redirectErrorStream(true);
        builder.environment().put("GATEHOUSE_DEMO_PASSWORD", PASSWORD);
        server = builder.start();
        CompletableFuture<URI> serving = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> readOutput(serving));
        mcpUrl = serving.get(2, TimeUnit.MINUTES);
    }

    /** The user's command, with the repository's Maven wrapper and the local repository this build installs into. */
    private static List<String> mavenCommand() {
        List<String> command = new ArrayList<>(List.of(EXAMPLE.resolve("../../mvnw").normalize().toString(),
                "-f", EXAMPLE.resolve("pom.xml").toString(), "-B", "-ntp", "-o", "clean", "package"));
        String repository = System.getProperty("gatehouse.maven.repo.local", "");
        if (!repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        String version = System.getProperty("gatehouse.version", "");
        if (!version.isBlank()) {
            command.add("-Dgatehouse.version=" + version);
        }
        return command;
    }

    private static void readOutput(CompletableFuture<URI> serving) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                serverOutput.append(line).append('\n');
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    serving.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the server ended
        }
        serving.completeExceptionally(new IllegalStateException("the example ended before serving:\n" + serverOutput));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void without_a_token_the_example_answers_401_with_its_metadata() {
        var reply = McpTestClient.to(mcpUrl).call("initialize", Map.of("protocolVersion", McpTestClient.PROTOCOL_VERSION,
                "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1")));
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("resource_metadata=\""));
    }

    @Test
    void the_typescript_sdk_client_logs_in_through_the_embedded_server_and_calls_the_examples_tools() throws Exception {
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                        scripts.resolve("sdk-word-count.mjs").toString(), mcpUrl.toString(), "alice", PASSWORD),
                scripts, Map.of(), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as("%s\nserver:\n%s", outcome.output(), serverOutput).isZero();
        String[] lines = outcome.output().strip().split("\n");
        JsonNode seen = JsonMapper.builder().build().readTree(lines[lines.length - 1]);

        assertThat(seen.path("requests").toString()).contains("POST /mcp -> 401", "POST /oauth/register -> 201",
                "POST /oauth/token -> 200");
        assertThat(seen.path("serverInfo").path("name").asString()).isEqualTo("word-count");
        assertThat(seen.path("tools").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("word_count", "longest_word");
        assertThat(seen.path("prompts").valueStream().map(JsonNode::asString).toList()).containsExactly("summarize");
        assertThat(seen.path("wordCount").asString()).isEqualTo("alice, your text has 4 words");
        assertThat(seen.path("longestWord").asString()).isEqualTo("quick");
    }

    @Test
    @Tag("RS-07")
    @Tag("RS-12")
    void with_an_external_issuer_the_example_answers_401_403_naming_its_scope_and_shows_the_caller() throws Exception {
        try (JwksServer idp = new JwksServer()) {
            Path data = Files.createTempDirectory("word-count-external");
            Process external = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", EXAMPLE.resolve("target/word-count.jar").toString(), "--port", "0", "--data-dir", data.toString(),
                    "--auth", "external", "--issuer", JwksServer.ISSUER, "--jwks-url", idp.jwksUrl())
                    .directory(data.toFile()).redirectErrorStream(true).start();
            try {
                URI url = servingUrl(external);
                String audience = url.toString();
                assertThat(McpTestClient.to(url).call("tools/list", Map.of()).status()).isEqualTo(401);

                String readOnly = idp.sign(c -> c.claim("scope", "mcp:read"), audience);
                var refused = McpTestClient.to(url).header("Authorization", "Bearer " + readOnly).initialize()
                        .call("tools/call", Map.of("name", "word_count", "arguments", Map.of("text", "two words")));
                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                        .contains("error=\"insufficient_scope\"", "scope=\"mcp:tools:words\""));

                String words = idp.sign(c -> c.claim("scope", "mcp:read mcp:tools:words"), audience);
                McpTestClient client = McpTestClient.to(url).header("Authorization", "Bearer " + words).initialize();
                assertThat(client.call("tools/list", Map.of()).result().path("tools").valueStream()
                        .map(t -> t.path("name").asString()).toList()).containsExactlyInAnyOrder("word_count", "longest_word");
                assertThat(client.call("tools/call", Map.of("name", "word_count", "arguments", Map.of("text", "two words")))
                        .result().path("content").get(0).path("text").asString()).isEqualTo("alice, your text has 2 words");
            } finally {
                external.destroy();
                external.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Reads the process's output until it says where it serves MCP; the rest of the output is drained. */
    private static URI servingUrl(Process process) throws Exception {
        CompletableFuture<URI> serving = new CompletableFuture<>();
        StringBuffer output = new StringBuffer();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        serving.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            serving.completeExceptionally(new IllegalStateException("the example ended before serving:\n" + output));
        });
        return serving.get(2, TimeUnit.MINUTES);
    }

    @Test
    void the_examples_help_lists_the_serve_flags_and_exits_zero() throws Exception {
        ExternalProcess.Outcome help = runExample("--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("word-count 1.0", "--port", "--auth", "--issuer", "--config");
        ExternalProcess.Outcome version = runExample("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.output().strip()).isEqualTo("word-count 1.0");
    }

    @Test
    void a_bad_setting_is_one_line_naming_it_and_exit_status_2_without_a_stack_trace() throws Exception {
        ExternalProcess.Outcome bad = runExample("--port", "ninety");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output().strip()).startsWith("word-count: ").contains("'port'", "--port", "ninety")
                .doesNotContain("Exception", "\tat ").doesNotContain("\n");
    }

    private static ExternalProcess.Outcome runExample(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", EXAMPLE.resolve("target/word-count.jar").toString()));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, Files.createTempDirectory("word-count-cli"), Map.of(), Duration.ofMinutes(1));
    }
}
