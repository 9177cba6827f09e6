package io.gatehouse.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.client.mcp.McpClient;
import io.gatehouse.client.oauth.Http;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What the CLI answers to a server's input requests (MCP 2026-07-28 MRTR; M-6 for what it declares). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CliInputResponderTest {

    static final JsonNode FORM = Http.JSON.readTree("""
            {"mode":"form","message":"Deploy \\u001b[31mnow\\u001b[0m?","requestedSchema":{"type":"object","required":["target"],
             "properties":{"target":{"type":"string","enum":["staging","prod"]},"replicas":{"type":"integer","default":2},
                           "force":{"type":"boolean"},"note":{"type":"string"}}}}""");

    final StringWriter err = new StringWriter();

    CliInputResponder terminal(String... lines) {
        Deque<String> answers = new ArrayDeque<>(List.of(lines));
        return new CliInputResponder(Path.of("/work/project"), Optional.of(prompt -> answers.poll()), new PrintWriter(err, true));
    }

    @Test
    @Tag("M-3")
    void a_form_is_asked_field_by_field_on_the_terminal_with_defaults_and_retries() {
        JsonNode answer = terminal("y", "qa", "prod", "", "yes", "").answer("elicitation/create", FORM);

        assertThat(answer.path("action").asString()).isEqualTo("accept");
        assertThat(answer.path("content")).isEqualTo(Http.JSON.readTree("{\"target\":\"prod\",\"replicas\":2,\"force\":true}"));
        assertThat(err.toString()).contains("The server asks: Deploy \\u001B[31mnow", "not a valid choice").doesNotContain("\u001b");
    }

    @Test
    void the_user_can_decline_or_cancel_and_the_end_of_input_cancels() {
        assertThat(terminal("n").answer("elicitation/create", FORM).path("action").asString()).isEqualTo("decline");
        assertThat(terminal("c").answer("elicitation/create", FORM).path("action").asString()).isEqualTo("cancel");
        assertThat(terminal("y").answer("elicitation/create", FORM).path("action").asString()).isEqualTo("cancel");
    }

    @Test
    @Tag("M-6")
    void without_a_terminal_elicitation_is_not_declared_and_declined_if_asked_anyway() {
        CliInputResponder headless = new CliInputResponder(Path.of("/work/project"), Optional.empty(), new PrintWriter(err));

        assertThat(headless.capabilities()).isEqualTo(Http.JSON.readTree("{\"roots\":{}}"));
        assertThat(terminal().capabilities()).isEqualTo(Http.JSON.readTree("{\"roots\":{},\"elicitation\":{\"form\":{}}}"));
        assertThat(headless.answer("elicitation/create", FORM).path("action").asString()).isEqualTo("decline");
        assertThat(terminal().answer("elicitation/create", Http.JSON.readTree("{\"mode\":\"url\",\"url\":\"https://x\"}"))
                .path("action").asString()).isEqualTo("decline");
    }

    @Test
    void the_roots_are_the_working_directory_and_sampling_is_refused() {
        CliInputResponder responder = terminal();

        assertThat(responder.answer("roots/list", Http.JSON.createObjectNode()).path("roots").get(0).path("uri").asString())
                .isEqualTo("file:///work/project");
        assertThatThrownBy(() -> responder.answer("sampling/createMessage", Http.JSON.createObjectNode()))
                .isInstanceOf(McpClient.McpException.class).hasMessageContaining("sampling");
    }
}
