package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/** The request id and W3C trace id every request's log lines carry (issue 15, point 4). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RequestIdsTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @AfterEach
    void clear() {
        RequestIds.clear();
    }

    @Test
    void a_request_without_ids_gets_a_fresh_random_one_in_the_mdc_and_the_response_and_no_trace_id() {
        HttpFields.Mutable response = HttpFields.build();
        String id = RequestIds.begin(HttpFields.build(), response);
        String other = RequestIds.requestId(null);

        assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo(other);
        assertThat(response.get("X-Request-Id")).isEqualTo(id);
        assertThat(MDC.get("request_id")).isEqualTo(id);
        assertThat(MDC.get("trace_id")).isNull();
    }

    @Test
    void a_valid_traceparent_puts_its_trace_id_in_the_mdc_and_clear_removes_both() {
        RequestIds.begin(HttpFields.build().put("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"), HttpFields.build());
        assertThat(MDC.get("trace_id")).isEqualTo(TRACE_ID);

        RequestIds.clear();
        assertThat(MDC.get("trace_id")).isNull();
        assertThat(MDC.get("request_id")).isNull();
    }

    @Test
    void a_later_traceparent_version_may_append_fields() {
        assertThat(RequestIds.traceId("01-" + TRACE_ID + "-00f067aa0ba902b7-01-more")).isEqualTo(TRACE_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 has exactly four fields
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // short trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736\n-00f067aa0ba902b7-01",
        "garbage", ""})
    void anything_but_a_valid_traceparent_is_ignored(String traceparent) {
        assertThat(RequestIds.traceId(traceparent)).isNull();
    }

    @Test
    void a_short_safe_request_id_from_a_proxy_is_kept_and_anything_else_replaced() {
        assertThat(RequestIds.requestId("f0a1-proxy.req_9")).isEqualTo("f0a1-proxy.req_9");
        assertThat(RequestIds.requestId("x".repeat(64))).isEqualTo("x".repeat(64));
        assertThat(RequestIds.requestId("x".repeat(65))).matches("[0-9a-f]{32}");
        assertThat(RequestIds.requestId("id\nINFO forged")).matches("[0-9a-f]{32}");
        assertThat(RequestIds.requestId("")).matches("[0-9a-f]{32}");
        assertThat(RequestIds.requestId("a b")).matches("[0-9a-f]{32}");
    }
}
