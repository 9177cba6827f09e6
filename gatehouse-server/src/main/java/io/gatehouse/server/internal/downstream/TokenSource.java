package io.gatehouse.server.internal.downstream;

import io.gatehouse.mcp.context.DownstreamToken;
import io.gatehouse.mcp.context.DownstreamTokenException;
import io.gatehouse.mcp.context.SubjectToken;
import java.util.Optional;
import java.util.Set;

/** Where one downstream's tokens come from: an issuer that exchanges a caller's token (RFC 8693). */
interface TokenSource {

    /**
     * Exchanges {@code subject} for a token of {@code audience}.
     *
     * @throws DownstreamTokenException when the issuer refuses or cannot be reached (a message for the model, no token)
     */
    DownstreamToken exchange(SubjectToken subject, String audience, Optional<Set<String>> scopes);
}
