package io.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A library server in front of an external identity provider, configured in code ({@link GatehouseSettings}): the
 * provider here is a JWKS endpoint on loopback and the tokens are signed with its key.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExternalIssuerServerTest {

    static final String ISSUER = "https://issuer.test";
    static RSAKey key;
    static HttpServer jwks;
    static GatehouseServer server;

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("key-1").generate();
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/jwks", exchange -> {
            byte[] body = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
        server = GatehouseServer.builder()
                .tool(GatehouseServerTest.wordCount())
                .settings(GatehouseSettings.builder().auth("external").issuer(ISSUER)
                        .jwksUrl("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks").build())
                .args("--port", "0")
                .environment(Map.of())
                .build();
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        jwks.stop(0);
    }

    static String token(String username, String scope) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("user-" + username)
                .audience(server.mcpUrl().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("preferred_username", username).claim("scope", scope).claim("client_id", "test-client").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static McpReply countWords(String token) {
        return McpTestClient.to(server.mcpUrl()).header("Authorization", "Bearer " + token).initialize()
                .call("tools/call", Map.of("name", "word_count", "arguments", Map.of("text", "a b")));
    }

    @Test
    void the_providers_token_with_the_tools_scope_reaches_the_tool_as_its_user() throws Exception {
        McpReply reply = countWords(token("erin", "mcp:read mcp:words"));
        assertThat(reply.result().path("content").get(0).path("text").asString()).isEqualTo("erin: 2 words");
    }

    @Test
    void the_providers_token_without_it_gets_403_naming_the_scope() throws Exception {
        McpReply reply = countWords(token("frank", "mcp:read mcp:tools"));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("error=\"insufficient_scope\"").contains("scope=\"mcp:words\""));
    }

    @Test
    @Tag("RS-02")
    void without_a_token_it_answers_401() {
        McpReply reply = McpTestClient.to(server.mcpUrl()).call("initialize", Map.of("protocolVersion",
                McpTestClient.PROTOCOL_VERSION, "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1")));
        assertThat(reply.status()).isEqualTo(401);
    }
}
