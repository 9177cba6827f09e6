package io.gatehouse.server.internal.downstream;

import io.gatehouse.as.AuthorizationServer;
import io.gatehouse.as.token.TokenExchange;
import io.gatehouse.as.token.TokenExchangeException;
import io.gatehouse.mcp.context.DownstreamToken;
import io.gatehouse.mcp.context.DownstreamTokenException;
import io.gatehouse.mcp.context.SubjectToken;
import io.gatehouse.mcp.internal.log.LogText;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The embedded authorization server, called in-process as a configured client allowed to exchange tokens: the same
 * checks as its token endpoint's RFC 8693 grant, without the HTTP round trip or a client secret.
 */
final class EmbeddedTokenSource implements TokenSource {

    private final Supplier<Optional<AuthorizationServer>> server;
    private final String clientId;

    EmbeddedTokenSource(Supplier<Optional<AuthorizationServer>> server, String clientId) {
        this.server = server;
        this.clientId = clientId;
    }

    @Override
    public DownstreamToken exchange(SubjectToken subject, String audience, Optional<Set<String>> scopes) {
        AuthorizationServer as = server.get().orElseThrow(() -> new DownstreamTokenException(
                "the embedded authorization server is not running"));
        try {
            TokenExchange.Exchanged exchanged = as.tokenExchange().exchange(clientId, subject.value(), audience, scopes);
            return new DownstreamToken(exchanged.accessToken(), audience, exchanged.expiresAt());
        } catch (TokenExchangeException e) {
            throw new DownstreamTokenException("the authorization server refused the token exchange: " + e.error()
                    + " (" + LogText.neutralise(e.description()) + ")");
        }
    }
}
