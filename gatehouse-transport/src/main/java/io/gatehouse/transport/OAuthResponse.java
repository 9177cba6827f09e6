package io.gatehouse.transport;

import java.util.List;
import java.util.Map;

/**
 * What an {@link OAuthEndpoints} path answers; the transport writes it out as it is.
 *
 * @param status     HTTP status
 * @param headers    response headers by name
 * @param setCookies {@code Set-Cookie} header values
 * @param body       the body (may be empty)
 */
public record OAuthResponse(int status, Map<String, String> headers, List<String> setCookies, byte[] body) {
}
