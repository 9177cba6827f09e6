package io.gatehouse.as.clients;

import java.util.Optional;

/**
 * What a client's name may be: it is shown on the login and consent pages and written to the log, so it holds no
 * control or invisible formatting characters (which could forge log lines or reverse text on the consent page) and
 * no broken UTF-16; it is cut to {@value #MAX_CODE_POINTS} characters (the database keeps 200).
 */
public final class ClientNames {

    public static final int MAX_CODE_POINTS = 100;

    private ClientNames() {
    }

    /** Why {@code name} cannot be a client name, or empty when it can. The reason never repeats the name. */
    public static Optional<String> problem(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c) || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || c == '\u2028' || c == '\u2029') {
                return Optional.of("client_name must not contain control or formatting characters");
            }
        }
        return Optional.empty();
    }

    /** {@code name} cut to at most {@value #MAX_CODE_POINTS} characters (code points: a surrogate pair stays whole). */
    public static String truncate(String name) {
        return name.codePointCount(0, name.length()) <= MAX_CODE_POINTS ? name
                : name.substring(0, name.offsetByCodePoints(0, MAX_CODE_POINTS));
    }

    /**
     * Whether the client's name was given by the operator (a client of the config file) rather than by the client
     * itself (dynamic registration, with or without the initial access token, or a client ID metadata document):
     * only such a name is shown as the application's name without the "unverified" marker (MCP security best
     * practices: a self-asserted name may impersonate a well-known application).
     */
    public static boolean verified(RegisteredClient client) {
        return client.origin() == ClientOrigin.CONFIGURED;
    }
}
