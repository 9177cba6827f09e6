package io.gatehouse.server.internal.auth;

import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.server.internal.config.AuthMode;
import io.gatehouse.server.internal.config.ConfigException;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.ResourceServerConfig;
import io.gatehouse.as.bridge.UpstreamBridge;
import io.gatehouse.as.store.StoreUnavailableException;
import io.gatehouse.as.web.OAuthRoutes;
import io.gatehouse.mcp.internal.server.AccessPolicy;
import io.gatehouse.rs.audit.AuthAudit;
import io.gatehouse.rs.bearer.BearerAuthentication;
import io.gatehouse.rs.bearer.ChallengeHeader;
import io.gatehouse.rs.metadata.ProtectedResourceMetadata;
import io.gatehouse.rs.policy.ScopePolicy;
import io.gatehouse.rs.token.CachingVerifier;
import io.gatehouse.rs.token.ClaimsReader;
import io.gatehouse.rs.token.IntrospectionVerifier;
import io.gatehouse.rs.token.JwksStatus;
import io.gatehouse.rs.token.JwtVerifier;
import io.gatehouse.rs.token.Signatures;
import io.gatehouse.mcp.internal.json.Json;
import tools.jackson.databind.node.ObjectNode;
import io.gatehouse.rs.token.KeySources;
import io.gatehouse.rs.token.TokenTypes;
import io.gatehouse.rs.token.TokenVerifier;
import io.gatehouse.as.AsMetrics;
import io.gatehouse.as.AuthorizationServer;
import io.gatehouse.rs.token.AccessToken;
import io.gatehouse.rs.token.InvalidTokenException;
import io.gatehouse.rs.token.VerifierUnavailableException;
import io.gatehouse.transport.Protection;
import io.gatehouse.transport.Security;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the resource server together from the configuration: the token verifier for the chosen mode, the
 * challenge renderer, the RFC 9728 metadata and the access policy. Key files are read (or, in local-keys mode,
 * generated at first start) before the server binds, so a missing key is a start-up error, not a runtime one.
 */
public final class ResourceServerSetup {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceServerSetup.class);

    private ResourceServerSetup() {
    }

    /**
     * The access policy: the config file's access section over what each tool, prompt and resource declares (the
     * MCP engine hands the declarations to the policy itself).
     */
    public static AccessPolicy policy(GatehouseConfig config) {
        if (config.auth() == AuthMode.NONE) {
            return AccessPolicy.OPEN;
        }
        return config.resourceServer().access().policy();
    }

    /**
     * What guards the endpoint once its canonical URL is known: nothing ({@code none}), a resource server
     * ({@code local-keys}, {@code external}), or the embedded authorization server with its resource server.
     * {@code scopes} are the {@link ServerScopes server's scopes}: the metadata's {@code scopes_supported}, and what
     * the embedded authorization server supports; challenges keep suggesting the base scopes (RS-05).
     */
    public static Function<URI, Security> security(GatehouseConfig config, Optional<EmbeddedAuthorization> embedded,
                                                   List<String> scopes, MeterRegistry registry, Clock clock) throws IOException {
        if (config.auth() == AuthMode.NONE) {
            return url -> Security.NONE;
        }
        ResourceServerConfig rs = config.resourceServer();
        Optional<JWKSet> localKeys = config.auth() == AuthMode.LOCAL_KEYS ? Optional.of(localKeys(config)) : Optional.empty();
        AuthAudit audit = new AuthAudit(registry, rs.auditAllowed());
        Signatures signatures = rs.nativeCrypto() ? Signatures.preferNative() : Signatures.jdk();
        return mcpUrl -> {
            URI origin = URI.create(mcpUrl.getScheme() + "://" + mcpUrl.getRawAuthority());
            Optional<AuthorizationServer> as = embedded.map(e -> e.create(mcpUrl, scopes, new AsMetrics(registry)));
            String issuer = as.map(a -> a.issuer().toString()).orElseGet(() -> rs.issuer().orElse(origin.toString()));
            List<String> audiences = rs.audiences().isEmpty() ? List.of(mcpUrl.toString()) : rs.audiences();
            JwksStatus jwks = new JwksStatus(clock, registry);
            TokenVerifier verifier = as.isPresent() ? embeddedVerifier(as.get(), issuer, audiences, config, signatures, clock, registry)
                    : verifier(config, localKeys, issuer, audiences, signatures, clock, jwks, registry);
            String metadataUrl = origin + ProtectedResourceMetadata.wellKnownPath(mcpUrl);
            Optional<OAuthRoutes> routes = as.<OAuthRoutes>map(a -> a)
                    .or(() -> rs.bridge() ? Optional.of(new UpstreamBridge(URI.create(issuer), origin, rs.jwksCacheTime(), clock)) : Optional.empty());
            String advertised = rs.bridge() ? origin.toString() : issuer;
            ProtectedResourceMetadata metadata = new ProtectedResourceMetadata(mcpUrl, List.of(advertised), scopes,
                    rs.resourceName(), rs.resourceDocumentation());
            LOG.info("Accepting tokens from {} for audience {}{}", issuer, audiences, as.isPresent() ? ""
                    : " (scopes from '" + rs.scopeClaim() + "', roles from '" + rs.rolesClaim() + "', marked " + rs.acceptedTokenTypes() + ")");
            Protection protection = new Protection(new BearerAuthentication(verifier, rs.maxTokenBytes(), audit),
                    new ChallengeHeader(metadataUrl, ScopePolicy.BASE_SCOPES), metadata, localKeys,
                    () -> status(config, issuer, audiences, signatures, jwks));
            if (rs.bridge()) {
                LOG.info("Bridging {}: its metadata and registration are served at {} with CORS (bridge=true); the metadata's "
                        + "issuer is {}, not this origin, so strict RFC 8414 clients refuse it", issuer, origin, issuer);
            }
            return new Security(Optional.of(protection), routes.map(OAuthRoutesEndpoints::new));
        };
    }

    /** The embedded server's own tokens: its keys in process, and its revocations honoured on every request. */
    private static TokenVerifier embeddedVerifier(AuthorizationServer as, String issuer, List<String> audiences,
                                                  GatehouseConfig config, Signatures signatures, Clock clock,
                                                  MeterRegistry registry) {
        ResourceServerConfig rs = config.resourceServer();
        // the embedded server's own tokens: always at+jwt, scopes in 'scope', roles in 'roles'
        TokenVerifier jwt = new JwtVerifier(as.publicKeySource(), issuer, audiences, rs.clockSkew(), ClaimsReader.gatehouse(),
                TokenTypes.AT_JWT_ONLY, signatures);
        TokenVerifier cached = rs.tokenCacheSize() > 0
                ? new CachingVerifier(jwt, rs.tokenCacheSize(), Duration.ofDays(1), clock, registry) : jwt;
        // revocation (of the token, or of its whole family) is read from the store on every request, never cached
        return token -> {
            AccessToken verified = cached.verify(token);
            boolean revoked;
            try {
                revoked = as.isRevoked(verified.tokenId());
            } catch (StoreUnavailableException e) {
                throw new VerifierUnavailableException("revocation state unavailable: " + e.getMessage(), e);
            }
            if (revoked) {
                throw new InvalidTokenException("token " + verified.tokenId() + " was revoked", "The access token was revoked");
            }
            return verified;
        };
    }

    /** What /health reports about token verification: issuer, audiences, and where keys come from. Never secrets. */
    private static ObjectNode status(GatehouseConfig config, String issuer, List<String> audiences, Signatures signatures,
                                     JwksStatus jwks) {
        ObjectNode status = Json.object();
        status.put("issuer", issuer);
        status.set("audiences", Json.MAPPER.valueToTree(audiences));
        status.put("signatures", signatures.description());
        ResourceServerConfig rs = config.resourceServer();
        if (config.auth() == AuthMode.EXTERNAL && rs.introspection().isPresent()) {
            status.put("introspection", rs.introspection().get().url().toString());
        } else if (config.auth() == AuthMode.EXTERNAL) {
            JwksStatus.Snapshot s = jwks.snapshot();
            ObjectNode keys = status.putObject("jwks");
            keys.put("url", s.url());
            keys.put("reachable", s.reachable());
            keys.put("keys", s.keys());
            s.lastSuccess().ifPresent(t -> keys.put("lastRefresh", t.toString()));
            s.lastFetch().ifPresent(t -> keys.put("lastFetch", t.toString()));
            s.lastError().ifPresent(e -> keys.put("lastError", e));
        }
        return status;
    }

    private static TokenVerifier verifier(GatehouseConfig config, Optional<JWKSet> localKeys, String issuer,
                                          List<String> audiences, Signatures signatures, Clock clock, JwksStatus jwks,
                                          MeterRegistry registry) {
        ResourceServerConfig rs = config.resourceServer();
        ClaimsReader claims = new ClaimsReader(rs.scopeClaim(), rs.rolesClaim());
        TokenVerifier verifier;
        Duration maxCacheAge;
        if (rs.introspection().isPresent()) {
            ResourceServerConfig.Introspection i = rs.introspection().get();
            verifier = new IntrospectionVerifier(i.url(), i.clientId(), i.clientSecret(), issuer, audiences, claims,
                    rs.acceptedTokenTypes(), clock);
            // an introspection answer is remembered this long at most: a token revoked meanwhile still passes
            maxCacheAge = rs.introspectionCacheTime();
        } else {
            var keys = localKeys.map(KeySources::local).orElseGet(() -> rs.jwksUrl()
                    .map(url -> KeySources.remote(url, rs.jwksCacheTime(), rs.jwksRefetchInterval(), rs.jwksFetchTimeout(), jwks))
                    .orElseGet(() -> KeySources.discovered(issuer, rs.jwksCacheTime(), rs.jwksRefetchInterval(), rs.jwksFetchTimeout(), jwks)));
            verifier = new JwtVerifier(keys, issuer, audiences, rs.clockSkew(), claims, rs.acceptedTokenTypes(), signatures);
            maxCacheAge = Duration.ofDays(1);
        }
        return rs.tokenCacheSize() > 0 ? new CachingVerifier(verifier, rs.tokenCacheSize(), maxCacheAge, clock, registry) : verifier;
    }

    private static JWKSet localKeys(GatehouseConfig config) throws IOException {
        ResourceServerConfig rs = config.resourceServer();
        Optional<Path> file = rs.jwksFile().or(rs::publicKey);
        if (file.isPresent()) {
            if (!Files.isReadable(file.get())) {
                throw new ConfigException("Cannot read the key file " + file.get() + "; create keys with: gatehouse keys generate --out DIR");
            }
            return KeySources.publicKeysFromFile(file.get());
        }
        Path dir = config.dataDir().resolve("keys");
        OwnerOnlyFiles.secureDirectory(config.dataDir());
        if (!Files.exists(dir.resolve(LocalKeys.PUBLIC_KEYS_FILE))) {
            LocalKeys.generate(dir, LocalKeys.KeyType.RSA);
            LOG.info("Generated a new signing key pair in {} (first start in local-keys mode)", dir);
        }
        return KeySources.publicKeysFromFile(dir.resolve(LocalKeys.PUBLIC_KEYS_FILE));
    }
}
