package io.gatehouse.client.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TerminalTextTest {

    @Test
    void escape_sequences_c1_controls_separators_and_bidi_overrides_become_visible_escapes() {
        assertThat(TerminalText.neutralize("a\u001b[31mb\u009b2J\u0007\u2028\u202Ex\u2066y\u007f"))
                .isEqualTo("a\\u001B[31mb\\u009B2J\\u0007\\u2028\\u202Ex\\u2066y\\u007F");
    }

    @Test
    void line_feeds_tabs_cr_lf_line_ends_and_ordinary_unicode_stay_as_they_are() {
        String text = "line 1\r\nline\t2\nÅ ✓ 日本 👨‍👩‍👧";
        assertThat(TerminalText.neutralize(text)).isSameAs(text);
    }

    @Test
    void a_lone_carriage_return_that_would_overwrite_the_line_is_escaped() {
        assertThat(TerminalText.neutralize("safe\rEVIL\r")).isEqualTo("safe\\u000DEVIL\\u000D");
    }

    @Test
    void the_writer_does_the_same_across_writes_split_anywhere() throws Exception {
        StringWriter sink = new StringWriter();
        try (TerminalSafeWriter writer = new TerminalSafeWriter(sink)) {
            writer.write("ok\r");
            writer.write("\nx\u001b");
            writer.write('[');
            writer.write("1m\r".toCharArray(), 0, 3);
            writer.write("y");
        }
        assertThat(sink.toString()).isEqualTo("ok\r\nx\\u001B[1m\\u000Dy");
    }
}
