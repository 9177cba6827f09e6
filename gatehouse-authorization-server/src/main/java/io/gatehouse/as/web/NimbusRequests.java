package io.gatehouse.as.web;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hands an {@link AsRequest} to the Nimbus OAuth SDK's parsers, which model the OAuth messages. */
public final class NimbusRequests {

    /** A Nimbus parser, such as {@code TokenRequest::parse}. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(HTTPRequest request) throws ParseException;
    }

    private NimbusRequests() {
    }

    public static HTTPRequest post(AsRequest request, URI url) {
        HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, url);
        request.header("content-type").ifPresent(type -> http.setHeader("Content-Type", type));
        request.header("authorization").ifPresent(http::setAuthorization);
        http.setBody(request.bodyText());
        return http;
    }

    /**
     * Parses a POST to an OAuth endpoint: a parameter other than {@code repeatable} ones sent twice is
     * {@code invalid_request} (RFC 6749 section 3.2), and a parser failure becomes an {@link OAuthException} whose
     * description repeats nothing the client sent (the parser also refuses some input with an unchecked exception,
     * for instance a value it would have echoed, which would otherwise be a 500).
     */
    public static <T> T parse(AsRequest request, URI url, Set<String> repeatable, Parser<T> parser) {
        for (Map.Entry<String, List<String>> parameter : request.form().entrySet()) {
            if (parameter.getValue().size() > 1 && !repeatable.contains(parameter.getKey())) {
                throw new OAuthException(OAuth2Error.INVALID_REQUEST, "A parameter appears more than once (RFC 6749 section 3.2)");
            }
        }
        try {
            return parser.parse(post(request, url));
        } catch (ParseException e) {
            throw new OAuthException(OAuthErrors.withoutEcho(e.getErrorObject(), request));
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthErrors.withoutEcho(null, request));
        }
    }
}
