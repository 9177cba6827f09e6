package io.gatehouse.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals, before any handler runs (a URI that is not percent-encoded UTF-8, a NUL in a header, a
 * request line or headers over the limit): a small JSON body with the status's reason phrase, and nothing of the
 * request. Jetty's default page repeats the URI and its parser's message.
 */
final class FixedErrorHandler extends ErrorHandler {

    FixedErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowOrigin(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String error = code >= 500 ? "server_error" : "invalid_request";
        String reason = HttpStatus.getMessage(code).replaceAll("[^A-Za-z0-9 -]", "");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpReplies.JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(("{\"error\":\"" + error + "\",\"error_description\":\"" + reason + "\"}")
                .getBytes(StandardCharsets.UTF_8)), callback);
    }
}
