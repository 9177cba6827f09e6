package io.gatehouse.rs.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.lang.reflect.InvocationTargetException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks JWS signatures with the JDK, or natively with Amazon Corretto Crypto Provider (AWS-LC) where that loads
 * (Linux x86-64). Native verification is what makes a token the cache has not seen cheap: measured on the
 * benchmark machine, RS256 takes 16 µs against the JDK's 35 µs, ES256 49 µs against 398 µs. Only RS256/384/512 and
 * ES256/384/512 go native; every other algorithm, and every algorithm until (or unless) the provider has loaded,
 * uses the JDK's providers. The provider is used for these verifications only, never installed JVM-wide.
 *
 * <p>The provider is an optional dependency ({@code software.amazon.cryptools:AmazonCorrettoCryptoProvider}, classifier
 * {@code linux-x86_64}), looked up by name: without it on the class path everything is checked by the JDK.
 */
public final class Signatures implements JWSVerifierFactory {

    private static final Logger LOG = LoggerFactory.getLogger(Signatures.class);
    /** The optional native provider, looked up by name so that it need not be on the class path. */
    static final String NATIVE_PROVIDER = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static final Set<JWSAlgorithm> NATIVE = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final DefaultJWSVerifierFactory jdk = new DefaultJWSVerifierFactory();
    private final CompletableFuture<Optional<Native>> nativeProvider;

    private record Native(Provider provider, String version, DefaultJWSVerifierFactory verifiers, KeyFactory rsa, KeyFactory ec) {
    }

    private Signatures(CompletableFuture<Optional<Native>> nativeProvider) {
        this.nativeProvider = nativeProvider;
    }

    /** The JDK's providers only. */
    public static Signatures jdk() {
        return new Signatures(CompletableFuture.completedFuture(Optional.empty()));
    }

    /**
     * Native where it loads, the JDK otherwise. Loading takes a few hundred milliseconds, so it happens in the
     * background: verifications before it completes use the JDK.
     */
    public static Signatures preferNative() {
        return new Signatures(CompletableFuture.supplyAsync(Signatures::loadNative,
                command -> Thread.ofPlatform().daemon().name("native-crypto-load").start(command)));
    }

    /** Waits for the native provider to load (or fail to): for tests and for reporting. */
    public boolean awaitNative() {
        return nativeProvider.join().isPresent();
    }

    /** Whether the native provider has loaded or failed to: until then keys are not worth remembering. */
    public boolean settled() {
        return nativeProvider.isDone();
    }

    /** What checks signatures now, for logs and {@code /health}: "native: AmazonCorrettoCryptoProvider 2.5.0" or "JDK". */
    public String description() {
        return nativeProvider.getNow(Optional.empty())
                .map(n -> "native: " + n.provider().getName() + " " + n.version())
                .orElse("JDK");
    }

    private static Optional<Native> loadNative() {
        Class<?> type;
        try {
            type = Class.forName(NATIVE_PROVIDER, true, Signatures.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            LOG.info("Native signature verification unavailable (AmazonCorrettoCryptoProvider is not on the class path); using the JDK");
            return Optional.empty();
        } catch (LinkageError e) {
            LOG.info("Native signature verification unavailable ({}); using the JDK", e.toString());
            return Optional.empty();
        }
        try {
            Provider provider = (Provider) type.getField("INSTANCE").get(null);
            if (type.getMethod("getLoadingError").invoke(provider) instanceof Throwable loadingError) {
                LOG.info("Native signature verification unavailable ({}); using the JDK", loadingError.toString());
                return Optional.empty();
            }
            type.getMethod("assertHealthy").invoke(provider);
            String version = String.valueOf(type.getMethod("getVersionStr").invoke(provider));
            DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
            verifiers.getJCAContext().setProvider(provider);
            LOG.info("Token signatures (RS*, ES*) are verified natively by {} {}", provider.getName(), version);
            return Optional.of(new Native(provider, version, verifiers, KeyFactory.getInstance("RSA", provider),
                    KeyFactory.getInstance("EC", provider)));
        } catch (InvocationTargetException e) {
            LOG.info("Native signature verification unavailable ({}); using the JDK", String.valueOf(e.getCause()));
            return Optional.empty();
        } catch (ReflectiveOperationException | LinkageError | GeneralSecurityException | RuntimeException e) {
            LOG.info("Native signature verification unavailable ({}); using the JDK", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The key as the verifying provider wants it: an RSA or EC public key is converted once to the native
     * provider's own key type, which otherwise would convert it on every verification.
     */
    public Key prepare(Key key) {
        Optional<Native> loaded = nativeProvider.getNow(Optional.empty());
        if (loaded.isEmpty()) {
            return key;
        }
        try {
            if (key instanceof RSAPublicKey) {
                return loaded.get().rsa().translateKey(key);
            }
            if (key instanceof ECPublicKey) {
                return loaded.get().ec().translateKey(key);
            }
        } catch (GeneralSecurityException e) {
            LOG.debug("Key kept as the JDK's: {}", e.toString());
        }
        return key;
    }

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        Optional<Native> loaded = nativeProvider.getNow(Optional.empty());
        if (loaded.isPresent() && NATIVE.contains(header.getAlgorithm())) {
            return loaded.get().verifiers().createJWSVerifier(header, key);
        }
        return jdk.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return jdk.supportedJWSAlgorithms();
    }

    @Override
    public JCAContext getJCAContext() {
        return jdk.getJCAContext();
    }
}
