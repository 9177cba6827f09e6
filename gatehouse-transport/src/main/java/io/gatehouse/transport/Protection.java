package io.gatehouse.transport;

import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.rs.bearer.BearerAuthentication;
import io.gatehouse.rs.bearer.ChallengeHeader;
import io.gatehouse.rs.metadata.ProtectedResourceMetadata;
import java.util.Optional;

/**
 * How the MCP endpoint is protected as an OAuth 2.1 resource server: who verifies bearer tokens, how refusals
 * are rendered, the RFC 9728 metadata to publish, and in {@code local-keys} mode the public keys to publish.
 */
public record Protection(BearerAuthentication authentication, ChallengeHeader challenges,
                         ProtectedResourceMetadata metadata, Optional<JWKSet> publishedKeys) {
}
