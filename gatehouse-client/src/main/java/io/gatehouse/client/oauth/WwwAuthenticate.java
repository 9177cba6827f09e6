package io.gatehouse.client.oauth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a {@code Bearer} challenge in a {@code WWW-Authenticate} header (RFC 6750 section 3,
 * RFC 9728 section 5.1): {@code resource_metadata}, {@code scope}, {@code error}. Quoted-string values may
 * contain escaped quotes and commas.
 */
public record WwwAuthenticate(Map<String, String> params) {

    public static Optional<WwwAuthenticate> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String text = header.strip();
        int space = text.indexOf(' ');
        String scheme = space < 0 ? text : text.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? text.length() : space + 1;
        while (i < text.length()) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < text.length() && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            params.put(name, value.toString().strip());
        }
        return Optional.of(new WwwAuthenticate(params));
    }

    public Optional<String> resourceMetadata() {
        return Optional.ofNullable(params.get("resource_metadata"));
    }

    public Optional<String> scope() {
        return Optional.ofNullable(params.get("scope")).filter(s -> !s.isBlank());
    }

    public Optional<String> errorDescription() {
        return Optional.ofNullable(params.get("error_description")).filter(s -> !s.isBlank());
    }

    public Optional<String> error() {
        return Optional.ofNullable(params.get("error"));
    }
}
