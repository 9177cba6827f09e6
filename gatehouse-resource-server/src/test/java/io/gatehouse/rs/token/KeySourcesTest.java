package io.gatehouse.rs.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KeySourcesTest {

    @TempDir
    Path dir;

    @Test
    void a_jwk_set_file_holding_private_keys_yields_only_their_public_halves() throws Exception {
        RSAKey rsa = Tokens.rsaKey("rsa-1");
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        Path file = Files.writeString(dir.resolve("jwks.json"), new JWKSet(List.of(rsa, ec)).toString(false));

        JWKSet keys = KeySources.publicKeysFromFile(file);

        assertThat(keys.getKeys()).hasSize(2).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        assertThat(keys.getKeyByKeyId("rsa-1")).isEqualTo(rsa.toPublicJWK());
    }

    @Test
    void a_single_jwk_file_is_read_as_a_set_of_one() throws Exception {
        RSAKey rsa = Tokens.rsaKey("rsa-1");
        Path file = Files.writeString(dir.resolve("key.json"), rsa.toPublicJWK().toJSONString());

        assertThat(KeySources.publicKeysFromFile(file).getKeys()).containsExactly(rsa.toPublicJWK());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void a_pem_rsa_public_key_file_is_read_without_bouncycastle() throws Exception {
        RSAKey rsa = Tokens.rsaKey("rsa-1");
        Path file = Files.writeString(dir.resolve("key.pem"), pem("PUBLIC KEY", rsa.toPublicKey().getEncoded()));

        JWKSet keys = KeySources.publicKeysFromFile(file);

        assertThat(keys.getKeys()).singleElement()
                .satisfies(k -> assertThat(k.toRSAKey().getModulus()).isEqualTo(rsa.getModulus()));
    }

    @Test
    void a_pem_ec_public_key_file_is_read() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        Path file = Files.writeString(dir.resolve("ec.pem"), pem("PUBLIC KEY", ec.toPublicKey().getEncoded()));

        assertThat(KeySources.publicKeysFromFile(file).getKeys()).singleElement()
                .satisfies(k -> assertThat(k.toECKey().getX()).isEqualTo(ec.getX()));
    }

    @Test
    void a_pem_file_with_a_private_key_and_a_public_key_yields_only_the_public_key() throws Exception {
        RSAKey rsa = Tokens.rsaKey("rsa-1");
        Path file = Files.writeString(dir.resolve("both.pem"), pem("PRIVATE KEY", rsa.toPrivateKey().getEncoded())
                + pem("PUBLIC KEY", rsa.toPublicKey().getEncoded()));

        assertThat(KeySources.publicKeysFromFile(file).getKeys()).singleElement()
                .satisfies(k -> assertThat(k.isPrivate()).isFalse());
    }

    @Test
    void a_pem_file_with_only_a_private_key_is_refused() throws Exception {
        RSAKey rsa = Tokens.rsaKey("rsa-1");
        Path file = Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", rsa.toPrivateKey().getEncoded()));

        assertThatThrownBy(() -> KeySources.publicKeysFromFile(file)).isInstanceOf(IOException.class);
    }

    @Test
    void a_pem_public_key_that_is_not_a_key_is_refused_with_an_io_exception() throws Exception {
        Path file = Files.writeString(dir.resolve("junk.pem"), pem("PUBLIC KEY", "not a key".getBytes(StandardCharsets.US_ASCII)));

        assertThatThrownBy(() -> KeySources.publicKeysFromFile(file)).isInstanceOf(IOException.class);
    }

    @Test
    void a_key_without_kid_from_a_pem_file_verifies_tokens_that_name_a_kid() throws Exception {
        RSAKey signing = Tokens.rsaKey("gatehouse-1");
        Path file = Files.writeString(dir.resolve("key.pem"), pem("PUBLIC KEY", signing.toPublicKey().getEncoded()));
        JwtVerifier verifier = new JwtVerifier(KeySources.local(KeySources.publicKeysFromFile(file)), Tokens.ISSUER,
                List.of(Tokens.AUDIENCE), Duration.ofSeconds(60), ClaimsReader.gatehouse(), Signatures.jdk());

        assertThat(verifier.verify(Tokens.rs256(signing, Tokens.claims().build())).subject()).isEqualTo("user-1");
        assertThatThrownBy(() -> verifier.verify(Tokens.rs256(Tokens.rsaKey("gatehouse-1"), Tokens.claims().build())))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void a_key_with_a_kid_serves_only_tokens_naming_that_kid_even_beside_a_key_without_one() throws Exception {
        RSAKey named = Tokens.rsaKey("named");
        RSAKey unnamed = Tokens.rsaKey(null);
        JwtVerifier verifier = new JwtVerifier(KeySources.local(new JWKSet(List.of(named.toPublicJWK(), unnamed.toPublicJWK()))),
                Tokens.ISSUER, List.of(Tokens.AUDIENCE), Duration.ofSeconds(60),
                ClaimsReader.gatehouse(), Signatures.jdk());
        RSAKey namedMismatch = new RSAKey.Builder(unnamed).keyID("named").build();

        assertThat(verifier.verify(Tokens.rs256(named, Tokens.claims().build())).subject()).isEqualTo("user-1");
        assertThat(verifier.verify(Tokens.rs256(unnamed, Tokens.claims().build())).subject()).isEqualTo("user-1");
        assertThatThrownBy(() -> verifier.verify(Tokens.rs256(namedMismatch, Tokens.claims().build())))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void a_file_of_symmetric_keys_only_is_refused() throws Exception {
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("hmac").generate();
        Path file = Files.writeString(dir.resolve("secret.json"), new JWKSet(secret).toString(false));

        assertThatThrownBy(() -> KeySources.publicKeysFromFile(file)).isInstanceOf(IOException.class);
    }

    @Test
    void an_unparseable_file_is_refused_with_an_io_exception() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.json"), "{\"keys\": [ not json");

        assertThatThrownBy(() -> KeySources.publicKeysFromFile(file)).isInstanceOf(IOException.class);
    }

    @Test
    void a_remote_source_refuses_a_url_java_cannot_open() {
        assertThatThrownBy(() -> KeySources.remote(URI.create("urn:jwks"), Duration.ofMinutes(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
