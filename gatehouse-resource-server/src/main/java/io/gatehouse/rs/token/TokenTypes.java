package io.gatehouse.rs.token;

import com.nimbusds.jose.JOSEObjectType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which tokens count as access tokens. Identity providers sign ID tokens, refresh tokens and logout tokens with
 * the same keys, for the same issuer, and an ID token may carry this server's audience; only a type marker tells
 * them apart. A token is accepted when it carries one of the accepted markers and no marker of another type:
 * <ul>
 *   <li>{@code at+jwt}: the JWT header {@code typ} is {@code at+jwt} (RFC 9068), as Gatehouse's own tokens are;</li>
 *   <li>{@code Bearer}: a {@code typ} claim {@code Bearer} (Keycloak's access tokens; Keycloak's ID, refresh and
 *       logout tokens say {@code ID}, {@code Refresh}, {@code Logout}), or an introspection answer whose
 *       {@code token_type} is {@code Bearer};</li>
 *   <li>{@code unmarked}: no marker at all (header {@code JWT} or none, no {@code typ} claim; an introspection
 *       answer with neither {@code token_type} nor {@code typ}); for a provider that marks nothing, and only when
 *       its ID tokens can never carry this server's audience.</li>
 * </ul>
 * Refused whatever is accepted: a {@code typ} claim other than {@code Bearer}, a {@code token_type} other than
 * {@code Bearer} or the RFC 8693 access token type, a {@code token_use} other than {@code access} (Amazon Cognito).
 */
public final class TokenTypes {

    /** A marker that makes a token an access token. */
    public enum Marker {
        AT_JWT("at+jwt"), BEARER("Bearer"), UNMARKED("unmarked");

        private final String label;

        Marker(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The default: RFC 9068 tokens and Keycloak's. */
    public static final TokenTypes DEFAULT = new TokenTypes(Set.of(Marker.AT_JWT, Marker.BEARER));
    /** Gatehouse's own tokens: always {@code at+jwt}. */
    public static final TokenTypes AT_JWT_ONLY = new TokenTypes(Set.of(Marker.AT_JWT));

    private static final Set<String> AT_JWT = Set.of("at+jwt", "application/at+jwt");
    private static final String RFC8693_ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    private final Set<Marker> accepted;

    public TokenTypes(Set<Marker> accepted) {
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("at least one accepted token type is needed");
        }
        this.accepted = Set.copyOf(accepted);
    }

    /** Parses labels such as {@code at+jwt}, {@code Bearer}, {@code unmarked} (case-insensitive). */
    public static TokenTypes parse(List<String> labels) {
        Set<Marker> markers = EnumSet.noneOf(Marker.class);
        for (String label : labels) {
            markers.add(marker(label));
        }
        return new TokenTypes(markers);
    }

    private static Marker marker(String label) {
        for (Marker m : Marker.values()) {
            if (m.label.equalsIgnoreCase(label.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown token type '" + label + "'; known: at+jwt, Bearer, unmarked");
    }

    public Set<Marker> accepted() {
        return accepted;
    }

    /** Whether introspection answers can ever pass: they carry no JOSE header, so {@code at+jwt} alone cannot. */
    public boolean suitsIntrospection() {
        return accepted.contains(Marker.BEARER) || accepted.contains(Marker.UNMARKED);
    }

    /**
     * Checks a verified JWT.
     *
     * @throws InvalidTokenException the token is not an access token, or not marked as this server accepts
     */
    void checkJwt(JOSEObjectType headerType, Map<String, Object> claims) {
        String header = headerType == null ? null : headerType.getType().toLowerCase(Locale.ROOT);
        refuseOtherTypes(claims);
        boolean atJwt = header != null && AT_JWT.contains(header);
        String typ = text(claims.get("typ"));
        boolean bearer = "bearer".equalsIgnoreCase(typ);
        boolean unmarked = !atJwt && typ == null;
        if (atJwt && accepted.contains(Marker.AT_JWT) || bearer && accepted.contains(Marker.BEARER)
                || unmarked && accepted.contains(Marker.UNMARKED)) {
            return;
        }
        throw new InvalidTokenException("not an accepted access token (header typ " + (header == null ? "none" : header)
                + ", typ claim " + (typ == null ? "none" : "present") + "; accepted: " + labels() + ")");
    }

    /**
     * Checks an active introspection answer.
     *
     * @throws InvalidTokenException the token is not an access token, or not marked as this server accepts
     */
    void checkIntrospected(Map<String, Object> response) {
        refuseOtherTypes(response);
        String tokenType = text(response.get("token_type"));
        String typ = text(response.get("typ"));
        boolean bearer = "bearer".equalsIgnoreCase(tokenType) || "bearer".equalsIgnoreCase(typ);
        boolean unmarked = tokenType == null && typ == null;
        if (bearer && accepted.contains(Marker.BEARER) || unmarked && accepted.contains(Marker.UNMARKED)) {
            return;
        }
        throw new InvalidTokenException("introspection: not an accepted access token (accepted: " + labels() + ")");
    }

    private static void refuseOtherTypes(Map<String, Object> claims) {
        Object typ = claims.get("typ");
        if (typ != null && !"bearer".equalsIgnoreCase(text(typ))) {
            throw new InvalidTokenException("not an access token: typ claim " + describe(typ));
        }
        Object tokenType = claims.get("token_type");
        if (tokenType != null && !"bearer".equalsIgnoreCase(text(tokenType)) && !RFC8693_ACCESS_TOKEN.equals(text(tokenType))) {
            throw new InvalidTokenException("not an access token: token_type " + describe(tokenType));
        }
        Object tokenUse = claims.get("token_use");
        if (tokenUse != null && !"access".equals(text(tokenUse)) && !"access_token".equals(text(tokenUse))) {
            throw new InvalidTokenException("not an access token: token_use " + describe(tokenUse));
        }
    }

    /** A short, log-safe rendering of a type value (a well-known type name, or just its kind). */
    private static String describe(Object value) {
        String text = text(value);
        if (text != null && text.length() <= 32 && text.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            return text;
        }
        return "(" + (text == null ? "not a string" : text.length() + " characters") + ")";
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    private String labels() {
        return String.join(",", accepted.stream().sorted().map(Marker::label).toList());
    }

    @Override
    public String toString() {
        return labels();
    }
}
