package io.gatehouse.transport;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request for an {@link OAuthEndpoints} path, without any HTTP server type: the body is already read under
 * a size limit, the query and an {@code application/x-www-form-urlencoded} form are decoded.
 *
 * @param method        HTTP method
 * @param path          path without query
 * @param query         decoded query parameters, each with all its values
 * @param form          decoded form parameters (empty when the body is not a form)
 * @param headers       header values by lower-case name
 * @param cookies       cookie values by name (the first of each name)
 * @param body          the raw body
 * @param remoteAddress the client's IP address, for rate limits
 */
public record OAuthRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> form,
                           Map<String, List<String>> headers, Map<String, String> cookies, byte[] body, String remoteAddress) {
}
