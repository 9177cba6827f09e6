package io.gatehouse.as.web;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import java.net.URI;

/** Hands an {@link AsRequest} to the Nimbus OAuth SDK's parsers, which model the OAuth messages. */
public final class NimbusRequests {

    private NimbusRequests() {
    }

    public static HTTPRequest post(AsRequest request, URI url) {
        HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, url);
        request.header("content-type").ifPresent(type -> http.setHeader("Content-Type", type));
        request.header("authorization").ifPresent(http::setAuthorization);
        http.setBody(request.bodyText());
        return http;
    }
}
