package io.gatehouse.transport;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;

/** Server-sent events framing: one JSON-RPC message per {@code message} event (compact JSON has no newlines). */
final class Sse {

    static final String CONTENT_TYPE = "text/event-stream";
    private static final byte[] PREFIX = "event: message\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "\n\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private Sse() {
    }

    static byte[] event(JsonRpcMessage message) {
        byte[] json = JsonRpcCodec.write(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + PREFIX.length + SUFFIX.length);
        out.writeBytes(PREFIX);
        out.writeBytes(json);
        out.writeBytes(SUFFIX);
        return out.toByteArray();
    }

    static void startStream(Response response) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
    }
}
