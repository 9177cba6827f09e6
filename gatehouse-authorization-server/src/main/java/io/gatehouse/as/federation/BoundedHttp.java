package io.gatehouse.as.federation;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends a Nimbus request to the upstream provider over the JDK's HTTP client: no redirects, a timeout, and at most
 * {@link #MAX_ANSWER_BYTES} of the answer read (a provider's huge or endless answer never fills the heap).
 */
final class BoundedHttp {

    /** Discovery documents, token and userinfo answers are a few KiB; this is far above any real one. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    BoundedHttp(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    HTTPResponse send(HTTPRequest request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI()).timeout(timeout);
        request.getHeaderMap().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        builder.method(request.getMethod().name(), request.getBody() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.getBody()));
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking the identity provider");
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_ANSWER_BYTES + 1);
        }
        if (body.length > MAX_ANSWER_BYTES) {
            throw new IOException("the identity provider's answer is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        HTTPResponse out = new HTTPResponse(response.statusCode());
        response.headers().firstValue("Content-Type").ifPresent(type -> out.setHeader("Content-Type", type));
        response.headers().firstValue("WWW-Authenticate").ifPresent(value -> out.setHeader("WWW-Authenticate", value));
        out.setBody(new String(body, StandardCharsets.UTF_8));
        return out;
    }
}
