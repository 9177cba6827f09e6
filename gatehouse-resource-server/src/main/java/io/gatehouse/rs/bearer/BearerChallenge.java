package io.gatehouse.rs.bearer;

import java.util.Set;

/**
 * Why a request to the protected MCP endpoint is refused, as RFC 6750 section 3 and the MCP authorization spec
 * name it. One renderer ({@link ChallengeHeader}) turns each case into its status and
 * {@code WWW-Authenticate} header; handlers never pick a status themselves.
 */
public sealed interface BearerChallenge {

    int status();

    /** No credentials at all: 401 with no {@code error} attribute (RFC 6750 section 3.1), RS-02, RS-04. */
    record MissingToken() implements BearerChallenge {
        @Override
        public int status() {
            return 401;
        }
    }

    /** A malformed {@code Authorization} header: 400 {@code invalid_request} (RS-10). */
    record InvalidRequest(String description) implements BearerChallenge {
        @Override
        public int status() {
            return 400;
        }
    }

    /** Bad, expired or foreign token: 401 {@code invalid_token} (RS-09). */
    record InvalidToken(String description) implements BearerChallenge {
        @Override
        public int status() {
            return 401;
        }
    }

    /**
     * Valid token without what this operation needs: 403 {@code insufficient_scope} (RS-11, RS-12). A description
     * longer than {@link #MAX_DESCRIPTION} characters is cut there: it may name what the client asked for (a tool, a
     * URI), and the response header it goes into is bounded.
     */
    record InsufficientScope(Set<String> scopes, String description) implements BearerChallenge {
        public static final int MAX_DESCRIPTION = 300;

        public InsufficientScope {
            scopes = Set.copyOf(scopes);
            if (description != null && description.length() > MAX_DESCRIPTION) {
                description = description.substring(0, MAX_DESCRIPTION - 3) + "..."; // ASCII: it goes into a header
            }
        }

        @Override
        public int status() {
            return 403;
        }
    }

    /**
     * The verifier cannot decide now (keys or introspection unreachable): 503 with {@code Retry-After}, not
     * "invalid token".
     *
     * @param retryAfterSeconds when asking again may help, at least 1
     */
    record Unavailable(long retryAfterSeconds) implements BearerChallenge {
        public Unavailable {
            retryAfterSeconds = Math.max(1, retryAfterSeconds);
        }

        @Override
        public int status() {
            return 503;
        }
    }
}
