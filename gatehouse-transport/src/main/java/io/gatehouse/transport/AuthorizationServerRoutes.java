package io.gatehouse.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpCookie;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts Jetty requests to the {@link OAuthEndpoints} (embedded authorization server or upstream bridge) and writes
 * their answers back. Bodies are read under a small limit; forms are decoded by Jetty. A query or form that is not
 * correctly percent-encoded UTF-8 is the client's mistake: the endpoints answer it
 * ({@link OAuthEndpoints#malformedRequest}, a 400 that repeats nothing), logged on one DEBUG line. CORS, the guard
 * and refusals are the {@link RequestPipeline}'s; a {@link StorageUnavailableException} goes on to it too.
 */
final class AuthorizationServerRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServerRoutes.class);
    private static final int MAX_BODY = 64 * 1024;
    /** A year, the usual value (and the minimum for browsers' preload lists); subdomains are the operator's business. */
    private static final String HSTS = "max-age=31536000";

    private final OAuthEndpoints server;
    private final ClientAddress clientAddress;

    AuthorizationServerRoutes(OAuthEndpoints server, ClientAddress clientAddress) {
        this.server = server;
        this.clientAddress = clientAddress;
    }

    boolean owns(String path) {
        return server.owns(path);
    }

    boolean isCrossOrigin(String path) {
        return server.isCrossOrigin(path);
    }

    /** Serves a request for one of the endpoints' paths; returns false when nothing is served there. */
    boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        byte[] body = readBody(request);
        OAuthRequest decoded;
        try {
            decoded = toOAuthRequest(request, path, body, clientAddress.of(request));
        } catch (MalformedRequestException e) {
            LOG.debug("{} {}: refused a request whose query or form is not percent-encoded UTF-8", request.getMethod(), path);
            write(server.malformedRequest(path), request, response, callback);
            return true;
        }
        Optional<OAuthResponse> answer = server.handle(decoded);
        if (answer.isEmpty()) {
            return false;
        }
        write(answer.get(), request, response, callback);
        return true;
    }

    /** The request as the routes see it; throws when its query or form is not correctly percent-encoded UTF-8. */
    private static OAuthRequest toOAuthRequest(Request request, String path, byte[] body, String from) throws MalformedRequestException {
        Map<String, List<String>> query;
        Map<String, List<String>> form = Map.of();
        try {
            query = toMap(Request.extractQueryParameters(request, StandardCharsets.UTF_8));
            if (Accept.mediaType(request.getHeaders().get(HttpHeader.CONTENT_TYPE)).equals("application/x-www-form-urlencoded")) {
                Fields fields = new Fields();
                // strict: raw bytes that are not UTF-8 are refused like bad percent-escapes, not turned into U+FFFD
                UrlEncoded.decodeUtf8To(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString(), fields);
                form = toMap(fields);
            }
        } catch (CharacterCodingException e) {
            throw new MalformedRequestException();
        } catch (RuntimeException e) {
            // Jetty's decoder refuses a bad %-escape or percent-encoded bytes that are not UTF-8 with an
            // IllegalArgumentException, or, for a query, an HttpException with status 400 ("Bad query")
            if (e instanceof IllegalArgumentException || e instanceof HttpException http && http.getCode() == 400) {
                throw new MalformedRequestException();
            }
            throw e;
        }
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(field.getValue());
        }
        Map<String, String> cookies = new HashMap<>();
        for (HttpCookie cookie : Optional.ofNullable(Request.getCookies(request)).orElse(List.of()).stream()
                .map(c -> new HttpCookie(c.getName(), c.getValue())).toList()) {
            cookies.putIfAbsent(cookie.getName(), cookie.getValue());
        }
        return new OAuthRequest(request.getMethod(), path, query, form, headers, cookies, body, from);
    }

    /** A query or form that could not be decoded; carries nothing of it. */
    private static final class MalformedRequestException extends Exception {
        MalformedRequestException() {
            super("not percent-encoded UTF-8", null, false, false);
        }
    }

    private static Map<String, List<String>> toMap(Fields fields) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Fields.Field field : fields) {
            map.put(field.getName(), List.copyOf(field.getValues()));
        }
        return map;
    }

    /** The body, read up to the limit; a larger one is refused with 413. */
    private static byte[] readBody(Request request) throws IOException {
        if (request.getLength() > MAX_BODY) {
            throw Refusal.of(413, "Request too large");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw Refusal.of(413, "Request too large");
            }
            return body;
        }
    }

    /** Writes the answer; a page (login, consent, errors) served over TLS also tells browsers to keep to HTTPS. */
    private static void write(OAuthResponse answer, Request request, Response response, Callback callback) {
        response.setStatus(answer.status());
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (request.isSecure() && Accept.mediaType(answer.headers().get("Content-Type")).equals("text/html")) {
            response.getHeaders().put(HttpHeader.STRICT_TRANSPORT_SECURITY, HSTS);
        }
        answer.setCookies().forEach(cookie -> response.getHeaders().add(HttpHeader.SET_COOKIE, cookie));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
