package io.gatehouse.rs.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.X509CertUtils;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where JWT verification keys come from: a remote JWKS (held in memory, fetched in the background) or local files. */
public final class KeySources {

    private KeySources() {
    }

    /** What {@link #remote} waits at most for the identity provider by default. */
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(3);

    /**
     * A remote JWKS at a known URL: kept for {@code cacheTime} and refreshed in the background; an unknown
     * {@code kid} waits for the next fetch, at most one per {@code refetchInterval}; see {@link RemoteJwks}.
     */
    public static JWKSource<SecurityContext> remote(URI jwksUrl, Duration cacheTime, Duration refetchInterval) {
        return remote(jwksUrl, cacheTime, refetchInterval, DEFAULT_FETCH_TIMEOUT, new JwksStatus(java.time.Clock.systemUTC()));
    }

    /**
     * As {@link #remote(URI, Duration, Duration)}, waiting at most {@code fetchTimeout} for the provider and recording
     * every fetch in {@code status}.
     *
     * @throws IllegalArgumentException the URL is not one Java can fetch
     */
    public static JWKSource<SecurityContext> remote(URI jwksUrl, Duration cacheTime, Duration refetchInterval, Duration fetchTimeout,
                                                    JwksStatus status) {
        try {
            jwksUrl.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + jwksUrl, e);
        }
        return RemoteJwks.at(jwksUrl, cacheTime, refetchInterval, fetchTimeout, status);
    }

    /**
     * The JWKS named by the issuer's metadata (OpenID Connect discovery, then RFC 8414), looked up by the first fetch
     * in the background, so a slow identity provider neither blocks start-up nor holds requests longer than
     * {@code fetchTimeout}; otherwise as {@link #remote(URI, Duration, Duration, Duration, JwksStatus)}.
     */
    public static JWKSource<SecurityContext> discovered(String issuer, Duration cacheTime, Duration refetchInterval,
                                                        Duration fetchTimeout, JwksStatus status) {
        return RemoteJwks.discovered(issuer, cacheTime, refetchInterval, fetchTimeout, status);
    }

    /** Public keys from a file: a JWK set (JSON) or PEM-encoded public keys or certificates. */
    public static JWKSet publicKeysFromFile(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            JWKSet set = text.strip().startsWith("{") ? parseJson(text) : new JWKSet(parsePem(text));
            JWKSet publicOnly = set.toPublicJWKSet();
            if (publicOnly.isEmpty()) {
                throw new IOException("no public key in " + file);
            }
            return publicOnly;
        } catch (ParseException | JOSEException e) {
            throw new IOException("cannot read keys from " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * PEM {@code PUBLIC KEY} (RSA or EC) and {@code CERTIFICATE} blocks, read with the JDK alone: Nimbus's own PEM
     * parser needs BouncyCastle's bcpkix, which is not on the class path. Other blocks (private keys) are skipped.
     */
    private static List<JWK> parsePem(String text) throws JOSEException {
        List<JWK> keys = new ArrayList<>();
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(2));
            } catch (IllegalArgumentException e) {
                throw new JOSEException("bad base64 in a PEM " + block.group(1) + " block");
            }
            switch (block.group(1)) {
                case "PUBLIC KEY" -> keys.add(publicKey(der));
                case "CERTIFICATE" -> {
                    X509Certificate cert = X509CertUtils.parse(der);
                    if (cert == null) {
                        throw new JOSEException("unreadable PEM certificate");
                    }
                    keys.add(JWK.parse(cert));
                }
                default -> {
                    // a private key or something else: only public keys are wanted here
                }
            }
        }
        return keys;
    }

    private static JWK publicKey(byte[] der) throws JOSEException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC")) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                continue;
            }
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (curve == null) {
                    throw new JOSEException("unsupported EC curve in a PEM public key");
                }
                return new ECKey.Builder(curve, ec).build();
            }
        }
        throw new JOSEException("a PEM public key that is neither RSA nor EC");
    }

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private static JWKSet parseJson(String text) throws ParseException {
        String trimmed = text.strip();
        return trimmed.contains("\"keys\"") ? JWKSet.parse(trimmed) : new JWKSet(JWK.parse(trimmed));
    }

    /**
     * Fixed keys. A key without a {@code kid} (as read from a PEM file, which has no place for one) also serves
     * tokens whose header names a {@code kid}, once no key with that {@code kid} matches; the signature and
     * algorithm checks are unchanged.
     */
    public static JWKSource<SecurityContext> local(JWKSet keys) {
        JWKSet withoutKid = new JWKSet(keys.getKeys().stream().filter(k -> k.getKeyID() == null).toList());
        if (withoutKid.isEmpty()) {
            return new ImmutableJWKSet<>(keys);
        }
        return (selector, context) -> {
            List<JWK> found = selector.select(keys);
            return found.isEmpty()
                    ? new JWKSelector(new JWKMatcher.Builder(selector.getMatcher()).keyID(null).build()).select(withoutKid)
                    : found;
        };
    }
}
