package io.gatehouse.client.oauth;

import io.gatehouse.client.terminal.TerminalText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP authorization flow as a client (MCP 2025-11-25 / 2026-07-28 "Authorization"): discover the
 * protected resource metadata and the authorization server, register, authorize with PKCE, keep the tokens per
 * issuer and refresh them before they expire. Step-up after a 403 asks for the union of the scopes held and
 * the scopes challenged (CL-03).
 */
public final class McpAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(McpAuthorizer.class);

    private final Http http;
    private final CredentialStore store;
    private final ClientOptions options;
    private final Clock clock;
    private final TokenClient tokens;
    private final Registration registration;
    private final AuthorizationCodeFlow flow;
    private int authorizations;

    public McpAuthorizer(Http http, CredentialStore store, ClientOptions options, Clock clock) {
        this.http = http;
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.tokens = new TokenClient(http, clock);
        this.registration = new Registration(http);
        this.flow = new AuthorizationCodeFlow(tokens);
    }

    /** How many authorizations this client has run (the conformance suite allows a few, CL-03). */
    public int authorizations() {
        return authorizations;
    }

    /** A stored token for this server, refreshed silently when it has expired; empty when there is none usable. */
    public Optional<String> storedToken(URI serverUrl) {
        Optional<Credentials> found = store.findForServer(serverUrl);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Credentials credentials = found.get();
        Credentials.Tokens held = credentials.tokens().orElseThrow();
        if (held.isFresh(clock.instant())) {
            return Optional.of(held.accessToken());
        }
        if (held.refreshToken().isEmpty()) {
            return Optional.empty();
        }
        try {
            ServerMetadata as = ServerMetadata.reload(http, credentials.issuer(), credentials.metadataUrl());
            Credentials.Tokens refreshed = tokens.refresh(as, credentials, held.refreshToken().get(),
                    options.sendResource() ? Optional.of(held.resource()) : Optional.empty());
            refreshed = new Credentials.Tokens(held.resource(), refreshed.accessToken(), refreshed.refreshToken(),
                    refreshed.scope().isEmpty() ? held.scope() : refreshed.scope(), refreshed.expiresAt());
            store.save(credentials.withTokens(refreshed));
            LOG.debug("Refreshed the access token for {}", serverUrl);
            return Optional.of(refreshed.accessToken());
        } catch (OAuthClientException e) {
            LOG.info("Could not refresh the token for {} ({}); a new login is needed", serverUrl, TerminalText.neutralize(e.getMessage()));
            store.save(credentials.withoutTokens());
            return Optional.empty();
        }
    }

    /** The scopes of the token held for this server, if any. */
    public Set<String> heldScopes(URI serverUrl) {
        return store.findForServer(serverUrl).flatMap(Credentials::tokens)
                .map(t -> words(t.scope())).orElse(Set.of());
    }

    /**
     * Runs discovery and authorization after a 401 or a 403 {@code insufficient_scope}; returns the new access
     * token. {@code alsoKeep} are scopes to keep asking for (step-up unions them with the challenge's).
     */
    public String authorize(URI serverUrl, Optional<WwwAuthenticate> challenge, Set<String> alsoKeep) {
        authorizations++;
        Optional<ResourceMetadata> prm = ResourceMetadata.discover(http, serverUrl, challenge.flatMap(WwwAuthenticate::resourceMetadata));
        ServerMetadata as = prm.isPresent() ? ServerMetadata.discover(http, prm.get().authorizationServers().get(0))
                : ServerMetadata.legacy(http, serverUrl);
        String resourceId = prm.map(p -> p.resource().toString()).orElse(serverUrl.toString());
        Optional<String> resource = options.sendResource() && prm.isPresent() ? Optional.of(resourceId) : Optional.empty();
        Optional<String> scope = chooseScope(challenge, prm, alsoKeep);
        try (LoopbackReceiver receiver = new LoopbackReceiver()) {
            Credentials client = store.find(as)
                    .filter(c -> options.clientId().map(id -> id.equals(c.clientId())).orElse(true))
                    .filter(c -> options.clientMetadataUrl().isEmpty() || !as.clientIdMetadataDocuments()
                            || options.clientMetadataUrl().get().equals(c.clientId()))
                    .orElseGet(() -> registration.obtain(as, options, receiver.redirectUri()));
            store.save(client);
            Credentials.Tokens issued = options.clientCredentials()
                    ? tokens.clientCredentials(as, client, scope, resource)
                    : flow.run(as, client, receiver, scope, resource, options);
            issued = new Credentials.Tokens(resourceId, issued.accessToken(), issued.refreshToken(),
                    issued.scope().isEmpty() ? scope.orElse("") : issued.scope(), issued.expiresAt());
            store.save(client.withTokens(issued));
            LOG.info("Authorized at {} as client {} (scope: {})", TerminalText.neutralize(as.issuer()), TerminalText.neutralize(client.clientId()),
                    issued.scope().isEmpty() ? "-" : TerminalText.neutralize(issued.scope()));
            return issued.accessToken();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback listener for the redirect", e);
        }
    }

    /** Revokes (where supported) and forgets the tokens held for this server; returns the issuer it was logged in at. */
    public Optional<String> logout(URI serverUrl) {
        Optional<Credentials> found = store.findForServer(serverUrl);
        found.ifPresent(credentials -> {
            try {
                ServerMetadata as = ServerMetadata.reload(http, credentials.issuer(), credentials.metadataUrl());
                credentials.tokens().ifPresent(t -> {
                    t.refreshToken().ifPresent(r -> tokens.revoke(as, credentials, r));
                    tokens.revoke(as, credentials, t.accessToken());
                });
            } catch (OAuthClientException e) {
                LOG.info("Could not revoke at {}: {}", TerminalText.neutralize(credentials.issuer()), TerminalText.neutralize(e.getMessage()));
            }
            store.save(credentials.withoutTokens());
        });
        return found.map(Credentials::issuer);
    }

    public Optional<Credentials.Tokens> tokens(URI serverUrl) {
        return store.findForServer(serverUrl).flatMap(Credentials::tokens);
    }

    /** CL-02: the configured scope, else the challenge's (with what must be kept), else scopes_supported, else none. */
    private Optional<String> chooseScope(Optional<WwwAuthenticate> challenge, Optional<ResourceMetadata> prm, Set<String> alsoKeep) {
        if (options.scope().isPresent()) {
            return options.scope();
        }
        Set<String> scopes = new LinkedHashSet<>(alsoKeep);
        Optional<String> challenged = challenge.flatMap(WwwAuthenticate::scope);
        if (challenged.isPresent()) {
            scopes.addAll(words(challenged.get()));
        } else if (scopes.isEmpty()) {
            prm.flatMap(ResourceMetadata::scopesSupported).ifPresent(scopes::addAll);
        }
        return scopes.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", scopes));
    }

    static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(text.split(" ")).filter(s -> !s.isBlank()).forEach(out::add);
        return out;
    }
}
