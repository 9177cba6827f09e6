package io.gatehouse.rs.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.security.Key;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Which provider checks which signature. The verdicts themselves are JwtVerifierTest's, run with both. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SignaturesTest {

    static RSAKey rsa;
    static ECKey ec;
    static Signatures preferNative;

    @BeforeAll
    static void keys() throws Exception {
        rsa = Tokens.rsaKey("rsa-1");
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        preferNative = Signatures.preferNative();
        assertThat(preferNative.awaitNative()).isEqualTo(NativeCryptoPlatform.expected());
    }

    static String providerOf(JWSVerifier verifier) {
        return verifier.getJCAContext().getProvider() == null ? "JDK" : verifier.getJCAContext().getProvider().getName();
    }

    @Test
    void the_native_provider_loads_on_linux_x86_64_and_says_so() {
        if (NativeCryptoPlatform.expected()) {
            assertThat(preferNative.description()).startsWith("native: AmazonCorrettoCryptoProvider ");
        } else {
            assertThat(preferNative.description()).isEqualTo("JDK");
        }
        assertThat(Signatures.jdk().description()).isEqualTo("JDK");
    }

    @Test
    void rs256_and_es256_go_native_other_algorithms_stay_with_the_jdk() throws Exception {
        String expected = NativeCryptoPlatform.expected() ? "AmazonCorrettoCryptoProvider" : "JDK";
        Key rsaKey = preferNative.prepare(rsa.toRSAPublicKey());
        Key ecKey = preferNative.prepare(ec.toECPublicKey());
        assertThat(providerOf(preferNative.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), rsaKey))).isEqualTo(expected);
        assertThat(providerOf(preferNative.createJWSVerifier(new JWSHeader(JWSAlgorithm.ES256), ecKey))).isEqualTo(expected);
        assertThat(providerOf(preferNative.createJWSVerifier(new JWSHeader(JWSAlgorithm.PS256), rsaKey))).isEqualTo("JDK");
        assertThat(providerOf(Signatures.jdk().createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), rsaKey))).isEqualTo("JDK");
    }

    @Test
    void keys_are_converted_once_to_the_native_type_and_left_alone_by_the_jdk() throws Exception {
        Key jdkKey = rsa.toRSAPublicKey();
        assertThat(Signatures.jdk().prepare(jdkKey)).isSameAs(jdkKey);
        if (NativeCryptoPlatform.expected()) {
            Key prepared = preferNative.prepare(jdkKey);
            assertThat(prepared.getClass().getName()).startsWith("com.amazon.corretto.crypto.provider.");
            assertThat(prepared.getEncoded()).isEqualTo(jdkKey.getEncoded());
            assertThat(preferNative.prepare(ec.toECPublicKey()).getEncoded()).isEqualTo(ec.toECPublicKey().getEncoded());
        }
    }
}
