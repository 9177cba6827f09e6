package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AS-04, AS-05: PKCE with S256 is required, and the token endpoint checks the verifier. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-04")
@Tag("AS-05")
class PkceTest {

    static final String RFC7636_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String RFC7636_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();

    @Test
    void the_S256_challenge_of_the_rfc7636_appendix_b_verifier_is_the_published_value() {
        CodeChallenge challenge = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(RFC7636_VERIFIER));

        assertThat(challenge.getValue()).isEqualTo(RFC7636_CHALLENGE);
    }

    @Test
    void the_server_accepts_the_rfc7636_appendix_b_verifier_for_its_challenge() {
        Authorization authorization = as.authorize(client, "code_challenge", RFC7636_CHALLENGE);

        AsResponse response = as.exchange(authorization, "code_verifier", RFC7636_VERIFIER);

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response)).containsKey("access_token");
    }

    @Test
    @Tag("hardening")
    void a_wrong_code_verifier_is_invalid_grant() {
        Authorization authorization = as.authorize(client);

        AsResponse response = as.exchange(authorization, "code_verifier", new CodeVerifier().getValue());

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }

    @Test
    @Tag("hardening")
    void a_missing_code_verifier_is_invalid_grant() {
        Authorization authorization = as.authorize(client);

        AsResponse response = as.exchange(authorization, "code_verifier", null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }

    @Test
    @Tag("hardening")
    void the_challenge_itself_is_not_accepted_as_the_verifier() {
        Authorization authorization = as.authorize(client, "code_challenge", RFC7636_CHALLENGE);

        assertThat(json(as.exchange(authorization, "code_verifier", RFC7636_CHALLENGE))).containsEntry("error", "invalid_grant");
    }

    @Test
    @Tag("hardening")
    void a_failed_verifier_spends_the_code_so_verifiers_cannot_be_guessed() {
        Authorization authorization = as.authorize(client);
        as.exchange(authorization, "code_verifier", new CodeVerifier().getValue());

        AsResponse rightVerifier = as.exchange(authorization);

        assertThat(json(rightVerifier)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }
}
