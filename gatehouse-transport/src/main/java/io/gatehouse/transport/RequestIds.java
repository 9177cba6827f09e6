package io.gatehouse.transport;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.slf4j.MDC;

/**
 * The first step of every request: a request id in the log context (MDC {@value #REQUEST_ID}) of the request's thread
 * and in the {@value #HEADER} response header, and the W3C Trace Context trace id (MDC {@value #TRACE_ID}) when the
 * request carries a valid {@code traceparent}. Every line logged while the request is served, on its thread, carries
 * them; {@link #clear} removes them when it is done, so the next use of the thread does not inherit them.
 * <p>
 * The request id is Gatehouse's own (128 random bits, hex), unless the request brings an {@value #HEADER} that is a
 * short safe token (1 to 64 of {@code A-Z a-z 0-9 . _ -}): a proxy in front that names its requests keeps its name
 * in Gatehouse's log, as Rails and Heroku do. Any client can choose that value, so it correlates lines; it proves
 * nothing, and two requests may share one. Anything else is ignored and replaced, never logged. A
 * {@code traceparent} that is not exactly the W3C format (version {@code ff}, an all-zero trace or parent id, wrong
 * lengths or case) is ignored too.
 */
final class RequestIds {

    static final String HEADER = "X-Request-Id";
    static final String REQUEST_ID = "request_id";
    static final String TRACE_ID = "trace_id";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TRACEPARENT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);

    private RequestIds() {
    }

    /** Puts the request's ids in the MDC and the request id in the response; returns the request id. */
    static String begin(HttpFields request, HttpFields.Mutable response) {
        String id = requestId(request.get(HEADER));
        MDC.put(REQUEST_ID, id);
        String traceId = traceId(request.get("traceparent"));
        if (traceId != null) {
            MDC.put(TRACE_ID, traceId);
        }
        response.put(HEADER, id);
        return id;
    }

    /** Removes what {@link #begin} put in the MDC. */
    static void clear() {
        MDC.remove(REQUEST_ID);
        MDC.remove(TRACE_ID);
    }

    static String requestId(String sent) {
        if (sent != null && SAFE_ID.matcher(sent).matches()) {
            return sent;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }

    /** The trace id of a valid W3C {@code traceparent} (version 00 exactly; a later version may append fields), else null. */
    static String traceId(String traceparent) {
        if (traceparent == null || traceparent.length() > 512) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent.strip());
        if (!m.matches()) {
            return null;
        }
        String version = m.group(1);
        if (version.equals("ff") || (version.equals("00") && m.group(5) != null)) {
            return null;
        }
        if (m.group(2).equals(ZERO_TRACE) || m.group(3).equals(ZERO_PARENT)) {
            return null;
        }
        return m.group(2);
    }
}
