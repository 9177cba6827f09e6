package io.gatehouse.rs.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.security.Key;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The native provider is an optional dependency: with it left off the class path (this class runs in its own
 * surefire execution that excludes it, see this module's pom), {@link Signatures#preferNative()} settles on the
 * JDK, says so, and verifies RS256 and ES256 signatures with it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SignaturesWithoutNativeProviderTest {

    @Test
    void this_run_has_no_native_provider_on_its_class_path() {
        assertThatThrownBy(() -> Class.forName(Signatures.NATIVE_PROVIDER)).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void prefer_native_settles_on_the_jdk_and_says_so() {
        Signatures signatures = Signatures.preferNative();
        assertThat(signatures.awaitNative()).isFalse();
        assertThat(signatures.settled()).isTrue();
        assertThat(signatures.description()).isEqualTo("JDK");
    }

    @Test
    void rs256_and_es256_signatures_are_verified_by_the_jdk() throws Exception {
        Signatures signatures = Signatures.preferNative();
        signatures.awaitNative();
        RSAKey rsa = Tokens.rsaKey("rsa-1");
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        SignedJWT rs256 = SignedJWT.parse(Tokens.sign(rsa, JWSAlgorithm.RS256, JOSEObjectType.JWT, Tokens.claims().build()));
        SignedJWT es256 = SignedJWT.parse(Tokens.sign(ec, JWSAlgorithm.ES256, JOSEObjectType.JWT, Tokens.claims().build()));

        Key jdkRsaKey = rsa.toRSAPublicKey();
        Key rsaKey = signatures.prepare(jdkRsaKey);
        Key ecKey = signatures.prepare(ec.toECPublicKey());

        assertThat(rsaKey).as("keys stay the JDK's").isSameAs(jdkRsaKey);
        assertThat(signatures.createJWSVerifier(rs256.getHeader(), rsaKey).getJCAContext().getProvider()).isNull();
        assertThat(rs256.verify(signatures.createJWSVerifier(rs256.getHeader(), rsaKey))).isTrue();
        assertThat(es256.verify(signatures.createJWSVerifier(es256.getHeader(), ecKey))).isTrue();
        assertThat(es256.verify(signatures.createJWSVerifier(es256.getHeader(), new ECKeyGenerator(Curve.P_256).generate()
                .toECPublicKey()))).isFalse();
    }
}
