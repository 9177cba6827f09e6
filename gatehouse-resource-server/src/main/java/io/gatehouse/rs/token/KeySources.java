package io.gatehouse.rs.token;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;

/** Where JWT verification keys come from: a remote JWKS (cached, refetched on unknown kid) or local files. */
public final class KeySources {

    private KeySources() {
    }

    /**
     * A remote JWKS: cached for {@code cacheTime}; an unknown {@code kid} triggers a refetch, at most one per
     * {@code minRefetchInterval}, so a flood of random kids cannot hammer the identity provider.
     */
    public static JWKSource<SecurityContext> remote(URI jwksUrl, Duration cacheTime, Duration minRefetchInterval) {
        try {
            DefaultResourceRetriever retriever = new DefaultResourceRetriever(5_000, 5_000, 1024 * 1024);
            return JWKSourceBuilder.create(jwksUrl.toURL(), retriever)
                    .cache(cacheTime.toMillis(), 10_000)
                    .rateLimited(minRefetchInterval.toMillis())
                    .refreshAheadCache(false)
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + jwksUrl, e);
        }
    }

    /** Public keys from a file: a JWK set (JSON) or PEM-encoded public keys or certificates. */
    public static JWKSet publicKeysFromFile(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            JWKSet set = text.strip().startsWith("{") ? parseJson(text) : new JWKSet(JWK.parseFromPEMEncodedObjects(text));
            JWKSet publicOnly = set.toPublicJWKSet();
            if (publicOnly.isEmpty()) {
                throw new IOException("no public key in " + file);
            }
            return publicOnly;
        } catch (ParseException | com.nimbusds.jose.JOSEException e) {
            throw new IOException("cannot read keys from " + file + ": " + e.getMessage(), e);
        }
    }

    private static JWKSet parseJson(String text) throws ParseException {
        String trimmed = text.strip();
        return trimmed.contains("\"keys\"") ? JWKSet.parse(trimmed) : new JWKSet(JWK.parse(trimmed));
    }

    public static JWKSource<SecurityContext> local(JWKSet keys) {
        return new ImmutableJWKSet<>(keys);
    }

    /** A source resolved on first use (e.g. a JWKS URL found through discovery), so a slow IdP does not block start-up. */
    public static JWKSource<SecurityContext> lazy(java.util.function.Supplier<JWKSource<SecurityContext>> factory) {
        return new JWKSource<>() {
            private volatile JWKSource<SecurityContext> delegate;

            @Override
            public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
                JWKSource<SecurityContext> d = delegate;
                if (d == null) {
                    synchronized (this) {
                        if (delegate == null) {
                            try {
                                delegate = factory.get();
                            } catch (RuntimeException e) {
                                throw new KeySourceException("cannot locate the JWKS: " + e.getMessage(), e);
                            }
                        }
                        d = delegate;
                    }
                }
                return d.get(selector, context);
            }
        };
    }
}
