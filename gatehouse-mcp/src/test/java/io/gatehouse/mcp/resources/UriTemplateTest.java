package io.gatehouse.mcp.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UriTemplateTest {

    private final UriTemplate template = new UriTemplate("test://users/{user}/repos/{repo}");

    @Test
    void matching_uri_yields_each_variable_by_name() {
        assertThat(template.match("test://users/ada/repos/engine")).contains(Map.of("user", "ada", "repo", "engine"));
        assertThat(template.variableNames()).containsExactly("user", "repo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"test://users/ada/repos/", "test://users/ada/x/repos/engine", "test://users/ada/repos/e?x=1",
            "test://users/ada/repos/e#top", "test://users/ada/repos/engine/", "test://USERS/ada/repos/engine"})
    void uri_with_an_empty_or_multi_segment_value_or_other_literal_text_does_not_match(String uri) {
        assertThat(template.match(uri)).isEmpty();
    }

    @Test
    void literal_text_with_regex_characters_is_matched_literally() {
        UriTemplate dotted = new UriTemplate("file:///a.b/{name}.txt");

        assertThat(dotted.match("file:///a.b/notes.txt")).contains(Map.of("name", "notes"));
        assertThat(dotted.match("file:///aXb/notes.txt")).isEmpty();
        assertThat(dotted.match("file:///a.b/notesXtxt")).isEmpty();
    }

    @Test
    void template_without_variables_matches_only_itself() {
        UriTemplate fixed = new UriTemplate("test://fixed");

        assertThat(fixed.match("test://fixed")).contains(Map.of());
        assertThat(fixed.match("test://fixed2")).isEmpty();
        assertThat(fixed.variableNames()).isEqualTo(List.of());
    }

    @Test
    void completer_for_a_variable_the_template_does_not_have_is_refused() {
        assertThatThrownBy(() -> ResourceTemplate.builder("test://users/{user}")
                .completer("repo", (prefix, args) -> List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repo");
    }
}
