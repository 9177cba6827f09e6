package io.gatehouse.as.web;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.minidev.json.JSONObject;

/**
 * OAuth error responses (RFC 6749 section 5.2) rendered from Nimbus error objects, which carry their status.
 * Descriptions are written by this server and never repeat what the client sent: {@link #describe} keeps them to
 * the characters RFC 6749 allows (so a description can never fail to render), and {@link #withoutEcho} replaces a
 * parser's description that contains a value from the request by a fixed one.
 */
public final class OAuthErrors {

    /** Parameter names as the specifications spell them; anything else in a description came from the request. */
    private static final Pattern STANDARD_NAME = Pattern.compile("[a-z_]+");
    /** Shorter values are common words ("none", "code") and cannot carry much. */
    private static final int SHORTEST_ECHO = 3;

    private OAuthErrors() {
    }

    /**
     * A request whose query or form is not correctly percent-encoded UTF-8: {@code invalid_request} with a fixed
     * description, nothing of what was sent.
     */
    public static AsResponse malformedEncoding() {
        return json(new ErrorObject(OAuth2Error.INVALID_REQUEST_CODE, "The request is not correctly percent-encoded UTF-8", 400));
    }

    /** A failure that is the server's own fault: {@code server_error} and nothing else. */
    public static AsResponse serverError() {
        return json(new ErrorObject(OAuth2Error.SERVER_ERROR_CODE, null, 500));
    }

    public static AsResponse json(ErrorObject error) {
        JSONObject body = new JSONObject();
        body.put("error", error.getCode());
        if (error.getDescription() != null) {
            body.put("error_description", error.getDescription());
        }
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400;
        AsResponse response = AsResponse.json(status, AsJson.write(body));
        return status == 401 ? response.withHeader("WWW-Authenticate", "Basic realm=\"gatehouse\"") : response;
    }

    /**
     * {@code error} with {@code description}, every character RFC 6749 section 5.2 does not allow in an
     * {@code error_description} (controls, non-ASCII, {@code "} and {@code \}) replaced by {@code ?}.
     */
    public static ErrorObject describe(ErrorObject error, String description) {
        StringBuilder clean = new StringBuilder(description.length());
        description.chars().forEach(c -> clean.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? (char) c : '?'));
        return error.setDescription(clean.toString());
    }

    /**
     * A parser's error for {@code request}: its own description when that repeats nothing the request carried,
     * otherwise a fixed description for its error code. A missing error object is {@code invalid_request}.
     */
    public static ErrorObject withoutEcho(ErrorObject parsed, AsRequest request) {
        ErrorObject error = parsed != null ? parsed : OAuth2Error.INVALID_REQUEST;
        String description = error.getDescription();
        if (description != null && !echoes(description, request)) {
            return error;
        }
        return new ErrorObject(error.getCode(), fixedDescription(error.getCode()), error.getHTTPStatusCode());
    }

    private static boolean echoes(String description, AsRequest request) {
        for (Map.Entry<String, List<String>> parameter : request.form().entrySet()) {
            String name = parameter.getKey();
            if (!STANDARD_NAME.matcher(name).matches() && description.contains(name)) {
                return true;
            }
            for (String value : parameter.getValue()) {
                if (value.length() >= SHORTEST_ECHO && description.contains(value)) {
                    return true;
                }
            }
        }
        return request.header("authorization").map(h -> h.replaceFirst("(?i)^basic\\s+", ""))
                .filter(h -> h.length() >= SHORTEST_ECHO && description.contains(h)).isPresent();
    }

    private static String fixedDescription(String code) {
        return switch (code) {
            case "invalid_client" -> "Client authentication failed";
            case "invalid_grant" -> "The grant is invalid, expired or was issued to another client";
            case "invalid_scope" -> "The requested scope is invalid";
            case "invalid_target" -> "The resource parameter must be an absolute URI without a fragment";
            case "unsupported_grant_type" -> "Unsupported grant type";
            default -> "The request is malformed: a required parameter is missing, or a parameter is not valid";
        };
    }
}
