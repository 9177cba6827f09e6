package io.gatehouse.as.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.Base64;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Sealing signing keys under the key-encryption key: what opens, and what is refused. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KeyEncryptionKeyTest {

    static final RSAKey KEY;

    static {
        try {
            KEY = new RSAKeyGenerator(2048).keyID("k1").algorithm(JWSAlgorithm.RS256).generate();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void a_sealed_key_opens_with_the_same_key_read_back_from_its_text() {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        String sealed = kek.seal(KEY);
        assertThat(sealed).doesNotContain(KEY.getPrivateExponent().toString());
        assertThat(KeyEncryptionKey.fromText(kek.toText() + "\n").open(sealed)).isEqualTo(KEY);
        assertThat(KeyEncryptionKey.fromText(kek.toText()).id()).isEqualTo(kek.id());
    }

    @Test
    void standard_base64_as_openssl_writes_it_is_accepted() {
        byte[] raw = new byte[32];
        raw[0] = (byte) 0xfb;
        raw[1] = (byte) 0xff;
        KeyEncryptionKey fromStandard = KeyEncryptionKey.fromText(Base64.getEncoder().encodeToString(raw));
        KeyEncryptionKey fromUrl = KeyEncryptionKey.fromText(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        assertThat(fromStandard.id()).isEqualTo(fromUrl.id());
    }

    @Test
    void another_key_is_named_in_the_refusal_and_never_yields_the_key() {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        KeyEncryptionKey other = KeyEncryptionKey.generate();
        assertThatThrownBy(() -> other.open(kek.seal(KEY))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(kek.id()).hasMessageContaining(other.id());
    }

    @Test
    void an_altered_value_is_refused() {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        String sealed = kek.seal(KEY);
        String[] parts = sealed.split("\\.");
        char[] ciphertext = parts[3].toCharArray();
        ciphertext[10] = ciphertext[10] == 'A' ? 'B' : 'A';
        parts[3] = new String(ciphertext);
        assertThatThrownBy(() -> kek.open(String.join(".", parts))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be decrypted");
    }

    @Test
    void keys_of_the_wrong_size_or_not_base64_are_refused_without_quoting_them() {
        assertThatThrownBy(() -> KeyEncryptionKey.fromText("c2hvcnQ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 5 bytes").hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> KeyEncryptionKey.fromText("not base64 at all!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not base64 at all");
    }
}
