package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.TestOpenIdProvider;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 18 end to end, with a controllable OpenID provider as the upstream: a real Gatehouse configured with a
 * {@code login:} section sends the browser there, takes the user back through its consent page, issues a token whose
 * subject and roles come from the provider, and the token calls a tool. The client secret never reaches the logs.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-18")
class FederatedLoginJourneyTest {

    static final String SECRET = "journey-upstream-secret-7d41";

    @Test
    void a_user_of_the_provider_signs_in_consents_and_calls_a_tool_and_the_secret_stays_out_of_the_logs(@TempDir Path dir) throws Exception {
        try (TestOpenIdProvider provider = new TestOpenIdProvider(SECRET); CapturedLog log = new CapturedLog()) {
            provider.signsIn(new TestOpenIdProvider.Account("f47ac10b-58cc", "dora", List.of("mcp-user")));
            Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                    access:
                      role-scopes:
                        mcp-user: [mcp:read, mcp:tools]
                    login:
                      issuer: %s
                      client-id: gatehouse
                      roles-claim: realm_access.roles
                      refresh-check-interval: 1m
                    """.formatted(provider.issuer()));
            try (RunningGatehouse gatehouse = RunningGatehouse.start(Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", SECRET), "auth", "embedded",
                    "config", config.toString(), "data-dir", dir.resolve("data").toString(), "management-port", "0")) {
                assertThat(gatehouse.managementHealth().path("status").asString()).isEqualTo("ok");
                URI base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
                String redirect = "http://127.0.0.1:4377/callback";
                String verifier = "federated-journey-verifier-0123456789-abcdefghij";
                OAuthTestDriver driver = new OAuthTestDriver(base);
                String clientId = driver.register(redirect).path("client_id").asString();

                HttpResponse<String> toProvider = driver.authorize(clientId, redirect, verifier, "mcp:read mcp:tools");
                assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
                URI providerRequest = URI.create(toProvider.headers().firstValue("Location").orElseThrow());
                assertThat(providerRequest.toString()).startsWith(provider.issuer() + "/authorize?");
                assertThat(OAuthTestDriver.param(providerRequest, "redirect_uri")).isEqualTo(base + "/oauth/login/callback");
                HttpResponse<String> back = driver.open(providerRequest);
                HttpResponse<String> consentPage = driver.open(URI.create(back.headers().firstValue("Location").orElseThrow()));
                assertThat(consentPage.statusCode()).as(consentPage.body()).isEqualTo(200);
                assertThat(consentPage.body()).contains("Allow access?").contains("dora");
                URI code = driver.consent(consentPage);
                assertThat(code.toString()).startsWith(redirect + "?");
                JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(code, "code"),
                        "redirect_uri", redirect, "client_id", clientId, "code_verifier", verifier));
                String accessToken = tokens.path("access_token").asString();
                JsonNode claims = OAuthTestDriver.JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
                assertThat(claims.path("sub").asString()).isEqualTo("f47ac10b-58cc");
                assertThat(claims.path("preferred_username").asString()).isEqualTo("dora");
                assertThat(claims.path("roles").toString()).contains("mcp-user");

                McpReply tools = gatehouse.client().header("Authorization", "Bearer " + accessToken).initialize().call("tools/list", Map.of());
                assertThat(tools.status()).as(tools.body()).isEqualTo(200);
                assertThat(tools.body()).contains("\"tools\"");

                JsonNode refreshed = driver.token(OAuthTestDriver.refreshForm(tokens, clientId));
                assertThat(refreshed.path("access_token").asString()).isNotBlank();
            }
            assertThat(log.text()).contains("Federated login").doesNotContain(SECRET);
        }
    }
}
