package io.gatehouse.mcp.internal.mrtr;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("M-4")
class RequestStateSealTest {

    private final RequestStateSeal seal = new RequestStateSeal(RequestStateKey.ephemeral());

    private static RequestState state() {
        ObjectNode answers = (ObjectNode) Json.MAPPER.readTree("{\"step1\": {\"action\": \"accept\", \"content\": {\"name\": \"Alice-secret\"}}}");
        return new RequestState("https://as.example\u0000alice", "tools/call", "digest", Instant.parse("2026-11-27T10:10:00Z"), answers);
    }

    @Test
    void a_sealed_state_opens_to_the_same_state() {
        RequestState opened = seal.open(seal.seal(state())).orElseThrow();

        assertThat(opened.principal()).isEqualTo("https://as.example\u0000alice");
        assertThat(opened.method()).isEqualTo("tools/call");
        assertThat(opened.digest()).isEqualTo("digest");
        assertThat(opened.expiresAt()).isEqualTo(Instant.parse("2026-11-27T10:10:00Z"));
        assertThat(opened.answers()).isEqualTo(state().answers());
    }

    @Test
    void the_same_state_sealed_twice_gives_two_different_strings() {
        assertThat(seal.seal(state())).isNotEqualTo(seal.seal(state()));
    }

    @Test
    void the_sealed_state_is_confidential() {
        String sealed = seal.seal(state());
        String decoded = new String(Base64.getUrlDecoder().decode(sealed.substring(4)), StandardCharsets.ISO_8859_1);

        assertThat(sealed).doesNotContain("Alice-secret").doesNotContain("alice");
        assertThat(decoded).doesNotContain("Alice-secret").doesNotContain("tools/call").doesNotContain("alice");
    }

    @Test
    @Tag("attack")
    void every_flipped_byte_makes_the_state_unopenable() {
        String sealed = seal.seal(state());
        byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(4));

        for (int i = 0; i < bytes.length; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= 0x01;
            assertThat(seal.open("gh1." + Base64.getUrlEncoder().withoutPadding().encodeToString(flipped))).as("byte " + i).isEmpty();
        }
    }

    @Test
    @Tag("attack")
    @Tag("M-4")
    void every_other_spelling_of_the_last_character_does_not_open() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 20; i++) { // random nonces: the last character carries 2, 4 or 6 bits of data
            String sealed = seal.seal(state());
            String head = sealed.substring(0, sealed.length() - 1);
            char last = sealed.charAt(sealed.length() - 1);
            for (char c : alphabet.toCharArray()) {
                if (c != last) {
                    assertThat(seal.open(head + c)).as("last character %s instead of %s", c, last).isEmpty();
                }
            }
        }
    }

    @Test
    @Tag("attack")
    void a_state_sealed_with_another_key_does_not_open() {
        String sealed = new RequestStateSeal(RequestStateKey.ephemeral()).seal(state());

        assertThat(seal.open(sealed)).isEmpty();
    }

    @Test
    @Tag("attack")
    void strings_that_are_not_sealed_states_do_not_open() {
        for (String notOurs : new String[] {"", "gh1.", "gh1.!!!", "gh1.AAAA", "opaque", "gh2." + seal.seal(state()).substring(4),
                seal.seal(state()) + "-TAMPERED", "gh1." + "A".repeat(RequestStateSeal.MAX_SEALED_CHARS)}) {
            assertThat(seal.open(notOurs)).as(notOurs.length() > 40 ? notOurs.substring(0, 40) : notOurs).isEmpty();
        }
        assertThat(seal.open(null)).isEmpty();
    }

    @Test
    void a_key_that_is_not_256_bits_is_refused_as_a_server_fault() {
        RequestStateSeal weak = new RequestStateSeal(() -> new SecretKeySpec(new byte[16], "AES"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> weak.seal(state())).isInstanceOf(IllegalStateException.class);
    }
}
