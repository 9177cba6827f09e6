package io.gatehouse.transport;

import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.rs.bearer.BearerAuthentication;
import io.gatehouse.rs.bearer.ChallengeHeader;
import io.gatehouse.rs.metadata.ProtectedResourceMetadata;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the MCP endpoint is protected as an OAuth 2.1 resource server: who verifies bearer tokens, how refusals
 * are rendered, the RFC 9728 metadata to publish, in {@code local-keys} mode the public keys to publish, and a
 * status for {@code /health} (issuer, key source reachability; never secrets).
 */
public record Protection(BearerAuthentication authentication, ChallengeHeader challenges,
                         ProtectedResourceMetadata metadata, Optional<JWKSet> publishedKeys, Supplier<ObjectNode> status) {
}
