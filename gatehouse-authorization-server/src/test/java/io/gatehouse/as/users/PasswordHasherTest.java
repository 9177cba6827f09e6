package io.gatehouse.as.users;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PasswordHasherTest {

    @Test
    void a_hash_matches_its_password_only() {
        String stored = PasswordHasher.hash("correct horse".toCharArray());

        assertThat(PasswordHasher.matches("correct horse".toCharArray(), stored)).isTrue();
        assertThat(PasswordHasher.matches("correct horsE".toCharArray(), stored)).isFalse();
    }

    @Test
    void the_unmatchable_hash_matches_no_password_and_makes_a_check_derive_as_much_as_a_real_hash() {
        String unmatchable = PasswordHasher.unmatchable();
        String real = PasswordHasher.hash("x".toCharArray());

        assertThat(PasswordHasher.matches("".toCharArray(), unmatchable)).isFalse();
        assertThat(PasswordHasher.matches("x".toCharArray(), unmatchable)).isFalse();
        // the same scheme and iteration count: checking a password against it derives exactly as much
        assertThat(unmatchable.split("\\$")).hasSize(4);
        assertThat(unmatchable.split("\\$")[0]).isEqualTo(real.split("\\$")[0]);
        assertThat(unmatchable.split("\\$")[1]).isEqualTo(real.split("\\$")[1]);
    }
}
