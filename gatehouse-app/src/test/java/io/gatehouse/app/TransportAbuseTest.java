package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.mcp.internal.server.McpSession;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 19 finding 6, performed against a running Gatehouse ({@code --auth local-keys}): memory an anonymous
 * caller or a single token could make the transport hold. Heap is compared before and after with a generous
 * bound (after a GC), never timed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("SEC19-6")
class TransportAbuseTest {

    private static final long MB = 1024 * 1024;

    /** A Gatehouse in local-keys mode with the given extra settings, and a way to mint its tokens. */
    private record Server(RunningGatehouse gatehouse, TokenMinter minter) implements AutoCloseable {

        static Server start(String... settings) throws Exception {
            Path data = Files.createTempDirectory("gatehouse-abuse");
            List<String> all = new ArrayList<>(List.of("auth", "local-keys", "data-dir", data.toString()));
            all.addAll(List.of(settings));
            RunningGatehouse gatehouse = RunningGatehouse.start(all.toArray(String[]::new));
            return new Server(gatehouse, new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE))));
        }

        String token(String subject) throws Exception {
            return minter.mint(new TokenMinter.Grant(subject, subject, List.of("mcp:read", "mcp:tools"), List.of()),
                    "http://localhost:" + gatehouse.gatehouse.port(), List.of(gatehouse.mcpUrl().toString()), Duration.ofMinutes(5), Instant.now());
        }

        McpTestClient as(String subject) throws Exception {
            return gatehouse.client().header("Authorization", "Bearer " + token(subject));
        }

        int sessions() {
            return gatehouse.gatehouse.mcp().sessions().size();
        }

        @Override
        public void close() throws Exception {
            gatehouse.close();
        }
    }

    @Test
    void stalled_anonymous_uploads_are_answered_401_without_their_bodies_being_read() throws Exception {
        try (Server server = Server.start()) {
            int port = server.gatehouse().gatehouse.port();
            long before = usedHeapAfterGc();
            List<Socket> uploads = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    socket.setSoTimeout(20_000);
                    uploads.add(socket);
                    OutputStream out = socket.getOutputStream();
                    // announces 4 MB, sends a few bytes of it, then stalls: the old transport waited for the rest
                    out.write(("POST /mcp HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                            + "Accept: application/json, text/event-stream\r\nContent-Length: 4194304\r\n\r\n{\"jsonrpc\":\"2.0\",")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                for (Socket socket : uploads) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    assertThat(in.readLine()).isEqualTo("HTTP/1.1 401 Unauthorized");
                    List<String> headers = new ArrayList<>();
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        headers.add(line);
                    }
                    assertThat(headers).anySatisfy(h -> assertThat(h).startsWith("WWW-Authenticate: Bearer"));
                }
                assertThat(usedHeapAfterGc() - before).as("heap held while 40 uploads stall").isLessThan(32 * MB);
            } finally {
                for (Socket socket : uploads) {
                    socket.close();
                }
            }
            McpReply answer = server.gatehouse().client().post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().path("id").isNull()).as("the unread body's id is not known").isTrue();
            assertThat(server.as("alice").initialize().call("ping", Map.of()).status()).isEqualTo(200);
        }
    }

    @Test
    void one_token_opening_many_sessions_keeps_only_its_limit_and_pushes_out_only_its_own() throws Exception {
        try (Server server = Server.start("max-sessions-per-principal", "5")) {
            McpTestClient bob = server.as("bob").initialize();
            String alice = server.token("alice");
            List<McpTestClient> opened = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                opened.add(server.gatehouse().client().header("Authorization", "Bearer " + alice).initialize());
            }
            assertThat(server.sessions()).isEqualTo(6);
            assertThat(opened.get(0).call("ping", Map.of()).status()).as("the least recently used session ended").isEqualTo(404);
            assertThat(opened.get(59).call("ping", Map.of()).status()).isEqualTo(200);
            assertThat(bob.call("ping", Map.of()).status()).as("another principal's session is untouched").isEqualTo(200);
        }
    }

    @Test
    void at_the_total_limit_initialize_is_503_with_retry_after_and_a_json_rpc_error() throws Exception {
        try (Server server = Server.start("max-sessions", "4", "max-sessions-per-principal", "2")) {
            List<McpTestClient> held = new ArrayList<>();
            for (String subject : List.of("a", "b", "c", "d")) {
                held.add(server.as(subject).initialize());
            }
            McpReply refused = server.as("e").call("initialize", Map.of("protocolVersion", McpTestClient.PROTOCOL_VERSION,
                    "capabilities", Map.of(), "clientInfo", Map.of("name", "e", "version", "1")));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
            assertThat(refused.header("Mcp-Session-Id")).isEmpty();
            assertThat(refused.json().path("id").asInt()).isEqualTo(1);
            assertThat(refused.error().path("code").asInt()).isEqualTo(-32000);
            assertThat(server.sessions()).isEqualTo(4);
            assertThat(held.get(0).call("ping", Map.of()).status()).isEqualTo(200);

            held.get(0).delete();
            assertThat(server.as("e").initialize().call("ping", Map.of()).status()).isEqualTo(200);
        }
    }

    @Test
    void a_huge_client_info_and_capabilities_are_cut_to_a_bounded_description() throws Exception {
        try (Server server = Server.start("max-sessions-per-principal", "100")) {
            String huge = "x".repeat(1_000_000);
            Map<String, Object> params = Map.of("protocolVersion", McpTestClient.PROTOCOL_VERSION,
                    "capabilities", Map.of("sampling", Map.of(), "experimental", Map.of("blob", huge)),
                    "clientInfo", Map.of("name", "n" + huge, "version", "1\u001b[2J", "junk", huge));
            McpTestClient client = server.as("alice");
            long before = usedHeapAfterGc();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                McpReply reply = client.call("initialize", params);
                assertThat(reply.status()).isEqualTo(200);
                ids.add(reply.header("Mcp-Session-Id").orElseThrow());
            }
            assertThat(usedHeapAfterGc() - before).as("heap held by 40 sessions initialized with 3 MB each").isLessThan(24 * MB);

            McpSession session = server.gatehouse().gatehouse.mcp().sessions().find(ids.get(0)).orElseThrow();
            JsonNode info = session.clientInfo().orElseThrow();
            assertThat(info.path("name").asString()).hasSize(256).startsWith("nxxx");
            assertThat(info.path("version").asString()).isEqualTo("1?[2J");
            assertThat(info.has("junk")).isFalse();
            assertThat(session.clientCapabilities().path("sampling").isObject()).isTrue();
            assertThat(session.clientCapabilities().path("experimental").isEmpty()).isTrue();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
