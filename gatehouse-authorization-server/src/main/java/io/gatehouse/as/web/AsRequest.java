package io.gatehouse.as.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the authorization server sees it, independent of the HTTP server: the transport builds
 * it (with the body already read under a size limit) and the endpoints never see Jetty types.
 *
 * @param method  HTTP method
 * @param path    path without query
 * @param query   decoded query parameters, each with all its values
 * @param form    decoded {@code application/x-www-form-urlencoded} body parameters (empty otherwise)
 * @param headers header values by lower-case name
 * @param cookies cookie values by name
 * @param body    the raw body
 * @param remoteAddress the client's IP address, for rate limits
 */
public record AsRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> form,
                        Map<String, List<String>> headers, Map<String, String> cookies, byte[] body, String remoteAddress) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    public Optional<String> formValue(String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The parameters of an OAuth request: the query for GET, the form for POST. */
    public Map<String, List<String>> oauthParameters() {
        return method.equals("POST") ? form : query;
    }
}
