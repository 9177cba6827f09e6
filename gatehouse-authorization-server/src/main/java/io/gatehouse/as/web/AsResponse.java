package io.gatehouse.as.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an endpoint answers; the transport writes it out. */
public record AsResponse(int status, Map<String, String> headers, List<String> setCookies, byte[] body) {

    public static AsResponse json(int status, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        return new AsResponse(status, headers, List.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An HTML page that cannot be framed (clickjacking) and loads nothing from elsewhere.
     */
    public static AsResponse html(int status, String html) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/html; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'");
        headers.put("Referrer-Policy", "same-origin");
        return new AsResponse(status, headers, List.of(), html.getBytes(StandardCharsets.UTF_8));
    }

    public static AsResponse redirect(URI location) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", location.toString());
        headers.put("Cache-Control", "no-store");
        return new AsResponse(302, headers, List.of(), new byte[0]);
    }

    /** 303 See Other: after a form POST, the browser loads {@code location} with GET. */
    public static AsResponse seeOther(URI location) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", location.toString());
        headers.put("Cache-Control", "no-store");
        return new AsResponse(303, headers, List.of(), new byte[0]);
    }

    public AsResponse withCookie(String setCookie) {
        List<String> cookies = new ArrayList<>(setCookies);
        cookies.add(setCookie);
        return new AsResponse(status, headers, cookies, body);
    }

    public AsResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new AsResponse(status, copy, setCookies, body);
    }
}
