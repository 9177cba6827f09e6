package io.gatehouse.rs.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.security.Key;

/**
 * What {@link Signatures#preferNative()} does in a JVM whose class path lacks the native provider, printed one fact
 * a line for {@link SignaturesWithoutNativeProviderTest}, which runs this in a child JVM without it.
 */
final class JdkOnlySignatures {

    private JdkOnlySignatures() {
    }

    public static void main(String[] args) throws Exception {
        boolean present;
        try {
            Class.forName(Signatures.NATIVE_PROVIDER);
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        System.out.println("provider on the class path: " + present);
        Signatures signatures = Signatures.preferNative();
        System.out.println("native loaded: " + signatures.awaitNative());
        System.out.println("description: " + signatures.description());

        RSAKey rsa = Tokens.rsaKey("rsa-1");
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        SignedJWT rs256 = SignedJWT.parse(Tokens.sign(rsa, JWSAlgorithm.RS256, JOSEObjectType.JWT, Tokens.claims().build()));
        SignedJWT es256 = SignedJWT.parse(Tokens.sign(ec, JWSAlgorithm.ES256, JOSEObjectType.JWT, Tokens.claims().build()));
        Key rsaKey = rsa.toRSAPublicKey();
        Key ecKey = ec.toECPublicKey();
        System.out.println("keys kept as the JDK's: " + (signatures.prepare(rsaKey) == rsaKey && signatures.prepare(ecKey) == ecKey));
        System.out.println("RS256 provider: " + signatures.createJWSVerifier(rs256.getHeader(), rsaKey).getJCAContext().getProvider());
        System.out.println("RS256 verified: " + rs256.verify(signatures.createJWSVerifier(rs256.getHeader(), rsaKey)));
        System.out.println("ES256 verified: " + es256.verify(signatures.createJWSVerifier(es256.getHeader(), ecKey)));
        Key otherKey = new ECKeyGenerator(Curve.P_256).generate().toECPublicKey();
        System.out.println("ES256 with another key verified: " + es256.verify(signatures.createJWSVerifier(es256.getHeader(), otherKey)));
    }
}
