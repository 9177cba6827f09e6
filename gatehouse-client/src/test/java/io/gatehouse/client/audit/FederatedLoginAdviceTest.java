package io.gatehouse.client.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 18 point 5: which providers idp-check sends to federated login, and the login: section it prints for each. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-18-5")
class FederatedLoginAdviceTest {

    static IdpAudit.Report report(String issuer, IdpAudit.Verdict verdict, Check.Result oidc) {
        return new IdpAudit.Report(issuer, List.of(new Check("oidc", "OpenID Connect discovery", oidc, ""),
                new Check("issuer", "issuer matches exactly (AS-03)", Check.Result.YES, "")), verdict);
    }

    @Test
    void an_openid_provider_usable_only_with_the_bridge_or_not_at_all_gets_federated_login() {
        for (IdpAudit.Verdict verdict : List.of(IdpAudit.Verdict.USABLE_WITH_BRIDGE, IdpAudit.Verdict.NOT_USABLE)) {
            assertThat(FederatedLoginAdvice.forReport(report("https://sso.example.com/realms/company", verdict, Check.Result.YES)))
                    .hasValueSatisfying(advice -> assertThat(advice.provider()).isEqualTo("Keycloak"));
        }
    }

    @Test
    void a_usable_provider_one_without_openid_connect_and_one_whose_issuer_did_not_match_get_no_advice() {
        assertThat(FederatedLoginAdvice.forReport(report("https://sso.example.com/realms/company", IdpAudit.Verdict.USABLE,
                Check.Result.YES))).isEmpty();
        assertThat(FederatedLoginAdvice.forReport(report("https://as.example.com", IdpAudit.Verdict.USABLE_WITH_BRIDGE,
                Check.Result.NO))).isEmpty();
        IdpAudit.Report mismatch = new IdpAudit.Report("https://as.example.com", List.of(new Check("oidc", "", Check.Result.YES, ""),
                new Check("issuer", "", Check.Result.NO, "")), IdpAudit.Verdict.NOT_USABLE);
        assertThat(FederatedLoginAdvice.forReport(mismatch)).isEmpty();
    }

    @Test
    void the_roles_claim_is_guessed_from_the_issuer_of_each_known_provider() {
        assertThat(FederatedLoginAdvice.forIssuer("https://sso.example.com/realms/company").rolesClaim()).hasValue("realm_access.roles");
        assertThat(FederatedLoginAdvice.forIssuer("https://login.microsoftonline.com/3f1c0d1e-0000-4000-8000-000000000001/v2.0").rolesClaim())
                .hasValue("roles");
        assertThat(FederatedLoginAdvice.forIssuer("https://company.okta.com/oauth2/default").rolesClaim()).hasValue("groups");
        assertThat(FederatedLoginAdvice.forIssuer("https://accounts.google.com").rolesClaim()).hasValue("hd");
        assertThat(FederatedLoginAdvice.forIssuer("https://company.eu.auth0.com/").rolesClaim()).hasValue("https://gatehouse/roles");
        FederatedLoginAdvice unknown = FederatedLoginAdvice.forIssuer("https://idp.example.org");
        assertThat(unknown.provider()).isEqualTo("OpenID provider");
        assertThat(unknown.rolesClaim()).isEmpty();
        assertThat(unknown.snippet()).contains("  # roles-claim: groups").doesNotContain("\n  roles-claim:");
    }

    @Test
    void the_snippet_names_the_issuer_a_client_id_placeholder_and_keeps_the_secret_out_of_the_file() {
        String snippet = FederatedLoginAdvice.forIssuer("http://localhost:8080/realms/company").snippet();
        assertThat(snippet).startsWith("auth: embedded\nlogin:\n  issuer: http://localhost:8080/realms/company\n")
                .contains("  client-id: YOUR-CLIENT-ID", "GATEHOUSE_LOGIN_CLIENT_SECRET", "  scopes: [openid, profile, email]\n",
                        "  roles-claim: realm_access.roles\n", "access:\n  role-scopes:", "    mcp-user: [mcp:read, mcp:tools]\n")
                .doesNotContain("client-secret:", "client-secret-env:");
        assertThat(FederatedLoginAdvice.forIssuer("https://accounts.google.com").snippet()).contains("  roles-claim: hd\n",
                "    example.com: [mcp:read, mcp:tools]\n");
    }

    @Test
    void the_advice_says_what_to_register_with_the_callback_path() {
        for (String issuer : List.of("https://sso.example.com/realms/company", "https://login.microsoftonline.com/t/v2.0",
                "https://company.okta.com", "https://accounts.google.com", "https://company.auth0.com/", "https://idp.example.org")) {
            assertThat(FederatedLoginAdvice.forIssuer(issuer).register()).as(issuer).contains("<public-url>/oauth/login/callback");
        }
    }
}
