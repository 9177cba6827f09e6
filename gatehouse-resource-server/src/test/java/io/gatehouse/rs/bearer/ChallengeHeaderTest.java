package io.gatehouse.rs.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChallengeHeaderTest {

    private static final String METADATA = "https://mcp.example/.well-known/oauth-protected-resource/mcp";

    private final ChallengeHeader header =
            new ChallengeHeader(METADATA, List.of("mcp:tools", "mcp:read", "mcp:prompts"));

    @Test
    @Tag("RS-04")
    void a_missing_token_names_the_metadata_and_the_base_scopes_without_an_error() {
        assertThat(header.render(new BearerChallenge.MissingToken())).hasValue(
                "Bearer resource_metadata=\"" + METADATA + "\", scope=\"mcp:prompts mcp:read mcp:tools\"");
    }

    @Test
    @Tag("RS-04")
    void a_missing_token_challenge_carries_no_error_attribute() {
        assertThat(header.render(new BearerChallenge.MissingToken()).orElseThrow()).doesNotContain("error");
    }

    @Test
    @Tag("RS-09")
    void an_invalid_token_names_the_error_its_description_and_the_metadata() {
        assertThat(header.render(new BearerChallenge.InvalidToken("The access token has expired")).orElseThrow())
                .startsWith("Bearer error=\"invalid_token\", error_description=\"The access token has expired\"")
                .contains("resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void an_invalid_request_names_the_error_and_the_metadata() {
        assertThat(header.render(new BearerChallenge.InvalidRequest("Send exactly one Authorization header")))
                .hasValue("Bearer error=\"invalid_request\", error_description=\"Send exactly one Authorization header\", "
                        + "resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    @Tag("RS-11")
    @Tag("RS-12")
    void insufficient_scope_names_only_the_scopes_the_operation_needs() {
        String rendered = header.render(new BearerChallenge.InsufficientScope(Set.of("mcp:tools:echo"),
                "The tool echo requires the scope mcp:tools:echo")).orElseThrow();

        assertThat(rendered)
                .startsWith("Bearer error=\"insufficient_scope\"")
                .contains("error_description=\"The tool echo requires the scope mcp:tools:echo\"")
                .contains("scope=\"mcp:tools:echo\"")
                .contains("resource_metadata=\"" + METADATA + "\"")
                .doesNotContain("mcp:read")
                .doesNotContain("mcp:prompts");
    }

    @Test
    @Tag("RS-12")
    void insufficient_scope_for_several_scopes_lists_them_all_in_one_attribute() {
        assertThat(header.render(new BearerChallenge.InsufficientScope(Set.of("b:x", "a:y"), "needs both")).orElseThrow())
                .contains("scope=\"a:y b:x\"");
    }

    @Test
    void insufficient_scope_for_a_role_has_no_scope_attribute() {
        assertThat(header.render(new BearerChallenge.InsufficientScope(Set.of(), "requires the role admin")).orElseThrow())
                .doesNotContain("scope=\"");
    }

    @Test
    void an_unavailable_verifier_renders_no_challenge() {
        assertThat(header.render(new BearerChallenge.Unavailable(5))).isEmpty();
    }

    @Test
    void quotes_and_backslashes_in_a_description_are_escaped() {
        assertThat(header.render(new BearerChallenge.InvalidToken("say \"hi\" \\ bye")).orElseThrow())
                .contains("error_description=\"say \\\"hi\\\" \\\\ bye\"");
    }

    @Test
    void control_characters_are_dropped_so_no_header_can_be_injected() {
        String rendered = header.render(new BearerChallenge.InsufficientScope(Set.of("mcp:tools:x"),
                "The tool x\r\nSet-Cookie: a=b\"\u0000\u007f requires")).orElseThrow();

        assertThat(rendered)
                .doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000").doesNotContain("\u007f")
                .contains("error_description=\"The tool xSet-Cookie: a=b\\\" requires\"");
    }

    @Test
    void a_tab_is_dropped_like_any_other_control_character() {
        assertThat(ChallengeHeader.quote("a\tb")).isEqualTo("ab");
    }

    @Test
    void a_quoted_value_never_ends_its_quoted_string_early() {
        String hostile = "x\", error=\"invalid_token";

        String rendered = header.render(new BearerChallenge.InvalidRequest(hostile)).orElseThrow();

        assertThat(rendered).contains("error_description=\"x\\\", error=\\\"invalid_token\"");
        assertThat(rendered.split("(?<!\\\\)\"")).hasSize(6);
    }

    @Test
    void without_default_scopes_a_missing_token_challenge_names_only_the_metadata() {
        assertThat(new ChallengeHeader(METADATA, List.of()).render(new BearerChallenge.MissingToken()))
                .hasValue("Bearer resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    @Tag("attack")
    @Tag("RS-11")
    void a_description_naming_what_the_client_asked_for_is_cut_so_the_header_stays_bounded() {
        String asked = "x".repeat(200_000);
        String rendered = header.render(new BearerChallenge.InsufficientScope(java.util.Set.of("mcp:read"),
                "reading " + asked + " needs mcp:read")).orElseThrow();

        assertThat(rendered.length()).isLessThan(BearerChallenge.InsufficientScope.MAX_DESCRIPTION + 200);
        assertThat(rendered).contains("scope=\"mcp:read\"").contains("...");
    }
}
