package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The values of the 2026-07-28 spec's examples (SH §Value Encoding). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("H-13")
class HeaderValueTest {

    @Test
    void plain_ascii_is_taken_as_it_is() {
        assertThat(HeaderValue.decode("get_weather")).hasValue("get_weather");
        assertThat(HeaderValue.decode("file:///projects/myapp/config.json")).hasValue("file:///projects/myapp/config.json");
    }

    @Test
    void the_sentinel_carries_utf8_and_what_plain_ascii_cannot() {
        assertThat(HeaderValue.decode("=?base64?SGVsbG8sIOS4lueVjA==?=")).hasValue("Hello, 世界");
        assertThat(HeaderValue.decode("=?base64?IHBhZGRlZCA=?=")).hasValue(" padded ");
        assertThat(HeaderValue.decode("=?base64?bGluZTEKbGluZTI=?=")).hasValue("line1\nline2");
        assertThat(HeaderValue.decode("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=")).hasValue("=?base64?literal?=");
    }

    @Test
    void malformed_values_are_refused() {
        assertThat(HeaderValue.decode("=?base64?***?=")).isEmpty();
        assertThat(HeaderValue.decode("=?base64?/w==?=")).as("not UTF-8").isEmpty();
        assertThat(HeaderValue.decode(" padded ")).isEmpty();
        assertThat(HeaderValue.decode("caf\u00e9")).isEmpty();
        assertThat(HeaderValue.decode("")).isEmpty();
    }
}
