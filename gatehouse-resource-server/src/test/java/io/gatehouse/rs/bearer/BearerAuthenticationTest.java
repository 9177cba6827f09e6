package io.gatehouse.rs.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.rs.audit.AuthAudit;
import io.gatehouse.rs.bearer.BearerAuthentication.Result;
import io.gatehouse.rs.token.AccessToken;
import io.gatehouse.rs.token.InvalidTokenException;
import io.gatehouse.rs.token.TokenVerifier;
import io.gatehouse.rs.token.VerifierUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BearerAuthenticationTest {

    private static final int MAX_TOKEN_LENGTH = 64;
    private static final AccessToken ALICE = new AccessToken("https://issuer.example", "user-1", "alice", "client-1",
            Set.of("mcp:read"), Set.of(), List.of("https://mcp.example/mcp"), Instant.parse("2030-01-01T00:00:00Z"), "");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> verified = new ArrayList<>();

    /** Accepts "good", calls "expired" expired, and cannot reach its keys for "down". */
    private final TokenVerifier verifier = token -> {
        verified.add(token);
        return switch (token) {
            case "good" -> ALICE;
            case "expired" -> throw InvalidTokenException.expired();
            case "down" -> throw new VerifierUnavailableException("JWKS unreachable", null);
            default -> throw new InvalidTokenException("unknown token " + token);
        };
    };

    private final BearerAuthentication authentication =
            new BearerAuthentication(verifier, MAX_TOKEN_LENGTH, new AuthAudit(registry, true));

    private Result authenticate(String... headers) {
        return authentication.authenticate(List.of(headers));
    }

    private BearerChallenge challenge(String... headers) {
        Result result = authenticate(headers);
        assertThat(result).isInstanceOf(Result.Refused.class);
        return ((Result.Refused) result).challenge();
    }

    /** The decisions of an outcome, whatever their reason. */
    private double count(String outcome) {
        return registry.get("gatehouse.auth.decisions").tag("outcome", outcome).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private double count(String outcome, String reason) {
        return registry.get("gatehouse.auth.decisions").tags("outcome", outcome, "reason", reason).counter().count();
    }

    @Test
    @Tag("RS-09")
    void a_valid_bearer_token_authenticates() {
        assertThat(authenticate("Bearer good")).isEqualTo(new Result.Authenticated(ALICE, io.gatehouse.mcp.context.SubjectToken.of("good")));
        assertThat(verified).containsExactly("good");
    }

    @Test
    void the_scheme_is_case_insensitive() {
        assertThat(authenticate("bearer good")).isEqualTo(new Result.Authenticated(ALICE, io.gatehouse.mcp.context.SubjectToken.of("good")));
        assertThat(authenticate("BEARER good")).isEqualTo(new Result.Authenticated(ALICE, io.gatehouse.mcp.context.SubjectToken.of("good")));
    }

    @Test
    void surrounding_whitespace_is_tolerated() {
        assertThat(authenticate("  Bearer   good  ")).isEqualTo(new Result.Authenticated(ALICE, io.gatehouse.mcp.context.SubjectToken.of("good")));
    }

    @Test
    void a_jwt_shaped_token_with_padding_passes_the_syntax_check() {
        authenticate("Bearer eyJ.abc-_~+/.sig==");

        assertThat(verified).containsExactly("eyJ.abc-_~+/.sig==");
    }

    @Test
    @Tag("RS-15")
    void a_request_without_authorization_header_is_refused_without_error() {
        assertThat(challenge()).isEqualTo(new BearerChallenge.MissingToken());
        assertThat(count("missing")).isEqualTo(1);
    }

    @Test
    @Tag("RS-15")
    void another_authentication_scheme_counts_as_no_token() {
        assertThat(challenge("Basic abc")).isEqualTo(new BearerChallenge.MissingToken());
        assertThat(challenge("Bearerx good")).isEqualTo(new BearerChallenge.MissingToken());
        assertThat(verified).isEmpty();
    }

    @Test
    void bearer_without_a_token_is_an_invalid_request() {
        assertThat(challenge("Bearer")).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(challenge("Bearer    ")).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(verified).isEmpty();
    }

    @Test
    void a_token_with_spaces_or_illegal_characters_is_an_invalid_request() {
        assertThat(challenge("Bearer a b")).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(challenge("Bearer a\"b")).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(challenge("Bearer a,b")).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(challenge("Bearer a\r\nX-Injected: 1")).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(challenge("Bearer t\u00f6ken")).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(challenge("Bearer =abc")).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(verified).isEmpty();
    }

    @Test
    void two_authorization_headers_are_an_invalid_request() {
        BearerChallenge challenge = challenge("Bearer good", "Bearer good");

        assertThat(challenge).isInstanceOf(BearerChallenge.InvalidRequest.class);
        assertThat(challenge.status()).isEqualTo(400);
        assertThat(verified).isEmpty();
    }

    @Test
    @Tag("RS-09")
    void a_token_longer_than_the_limit_is_invalid_without_reaching_the_verifier() {
        assertThat(challenge("Bearer " + "a".repeat(MAX_TOKEN_LENGTH + 1))).isInstanceOf(BearerChallenge.InvalidToken.class);
        assertThat(verified).isEmpty();
    }

    @Test
    void a_token_exactly_at_the_limit_reaches_the_verifier() {
        authenticate("Bearer " + "a".repeat(MAX_TOKEN_LENGTH));

        assertThat(verified).hasSize(1);
    }

    @Test
    @Tag("RS-09")
    void a_rejected_token_is_refused_with_the_verifiers_public_description() {
        assertThat(challenge("Bearer expired")).isEqualTo(new BearerChallenge.InvalidToken("The access token has expired"));
        assertThat(challenge("Bearer forged")).isEqualTo(
                new BearerChallenge.InvalidToken("The access token is not valid for this resource"));
    }

    @Test
    void an_unavailable_verifier_refuses_with_unavailable_not_invalid_token() {
        BearerChallenge challenge = challenge("Bearer down");

        assertThat(challenge).isEqualTo(new BearerChallenge.Unavailable(5));
        assertThat(challenge.status()).isEqualTo(503);
    }

    @Test
    void every_refusal_is_counted_by_outcome() {
        authenticate();
        authenticate("Basic abc");
        authenticate("Bearer a b");
        authenticate("Bearer forged");
        authenticate("Bearer " + "a".repeat(MAX_TOKEN_LENGTH + 1));
        authenticate("Bearer down");
        authenticate("Bearer good");

        assertThat(count("missing")).isEqualTo(2);
        assertThat(count("invalid")).isEqualTo(3);
        assertThat(count("invalid", "malformed")).isEqualTo(2);
        assertThat(count("invalid", "rejected")).isEqualTo(1);
        assertThat(count("missing", "no_token")).isEqualTo(2);
        assertThat(count("unavailable")).isEqualTo(1);
        assertThat(count("allowed")).isZero();
        assertThat(authentication.audit()).isNotNull();
    }

    @Test
    void the_statuses_follow_rfc_6750() {
        assertThat(new BearerChallenge.MissingToken().status()).isEqualTo(401);
        assertThat(new BearerChallenge.InvalidRequest("x").status()).isEqualTo(400);
        assertThat(new BearerChallenge.InvalidToken("x").status()).isEqualTo(401);
        assertThat(new BearerChallenge.InsufficientScope(Set.of("s"), "x").status()).isEqualTo(403);
        assertThat(new BearerChallenge.Unavailable(5).status()).isEqualTo(503);
    }
}
