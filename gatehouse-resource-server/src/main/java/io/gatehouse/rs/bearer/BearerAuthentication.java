package io.gatehouse.rs.bearer;

import io.gatehouse.mcp.context.SubjectToken;
import io.gatehouse.rs.audit.AuthAudit;
import io.gatehouse.rs.token.AccessToken;
import io.gatehouse.rs.token.InvalidTokenException;
import io.gatehouse.rs.token.TokenVerifier;
import io.gatehouse.rs.token.VerifierUnavailableException;
import java.util.List;
import java.util.Locale;

/**
 * Authenticates one request from its {@code Authorization} header values (RS-07, RS-15): only the header
 * counts; a token in the query string or the body is never looked at. Knows no HTTP server types: the
 * transport passes the header values in and renders the result.
 */
public final class BearerAuthentication {

    /** The characters of an RFC 6750 section 2.1 b64token, before its trailing {@code =} padding. */
    private static final boolean[] TOKEN_CHAR = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".toCharArray()) {
            TOKEN_CHAR[c] = true;
        }
    }

    /** The outcome: a verified token, or the challenge to answer with. */
    public sealed interface Result {
        /**
         * @param token     what the verified token says
         * @param presented the token itself, for token exchange only (its {@code toString} hides it)
         */
        record Authenticated(AccessToken token, SubjectToken presented) implements Result {
        }

        record Refused(BearerChallenge challenge) implements Result {
        }
    }

    private final TokenVerifier verifier;
    private final int maxTokenLength;
    private final AuthAudit audit;

    public BearerAuthentication(TokenVerifier verifier, int maxTokenLength, AuthAudit audit) {
        this.verifier = verifier;
        this.maxTokenLength = maxTokenLength;
        this.audit = audit;
    }

    public AuthAudit audit() {
        return audit;
    }

    /** @param authorization every {@code Authorization} header value of the request */
    public Result authenticate(List<String> authorization) {
        if (authorization.isEmpty()) {
            audit.missing();
            return refuse(new BearerChallenge.MissingToken());
        }
        if (authorization.size() > 1) {
            audit.malformed("several Authorization headers");
            return refuse(new BearerChallenge.InvalidRequest("Send exactly one Authorization header"));
        }
        String header = authorization.get(0).strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            audit.missing();
            return refuse(new BearerChallenge.MissingToken());
        }
        String token = space < 0 ? "" : header.substring(space + 1).strip();
        if (token.length() > maxTokenLength) {
            audit.malformed("a token of " + token.length() + " characters (limit " + maxTokenLength + ")");
            return refuse(new BearerChallenge.InvalidToken("The access token is not valid for this resource"));
        }
        if (!isB64Token(token)) {
            audit.malformed("malformed Authorization header");
            return refuse(new BearerChallenge.InvalidRequest("The Authorization header must be: Bearer <token>"));
        }
        try {
            return new Result.Authenticated(verifier.verify(token), SubjectToken.of(token));
        } catch (InvalidTokenException e) {
            audit.invalid(e.isExpiry(), e.getMessage());
            return refuse(new BearerChallenge.InvalidToken(e.publicDescription()));
        } catch (VerifierUnavailableException e) {
            audit.unavailable(e.getMessage());
            long seconds = e.retryAfter().toSeconds() + (e.retryAfter().toNanosPart() > 0 ? 1 : 0);
            return refuse(new BearerChallenge.Unavailable(seconds));
        }
    }

    /** RFC 6750 b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}, checked without a regex. */
    static boolean isB64Token(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            if (c >= 128 || !TOKEN_CHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static Result refuse(BearerChallenge challenge) {
        return new Result.Refused(challenge);
    }
}
