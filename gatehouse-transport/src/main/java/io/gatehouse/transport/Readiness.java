package io.gatehouse.transport;

import io.gatehouse.mcp.internal.json.Json;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one definition of whether this node should be sent requests ({@code /health/ready}, and {@code /health}): not
 * stopping, the authorization server's store reachable and its signing keys loaded (when it has them), and every
 * upstream healthy (when it is a gateway). A load balancer only learns the status word; the management listener also
 * learns which check failed.
 */
final class Readiness {

    private final Optional<OAuthEndpoints> authorizationServer;
    private final BooleanSupplier upstreamsHealthy;
    private volatile boolean stopping;

    Readiness(Optional<OAuthEndpoints> authorizationServer, BooleanSupplier upstreamsHealthy) {
        this.authorizationServer = authorizationServer;
        this.upstreamsHealthy = upstreamsHealthy;
    }

    /** From now on the status is "stopping", so load balancers stop sending requests. */
    void stopping() {
        stopping = true;
    }

    /** "ok", "stopping", or "unavailable" (the store, the signing keys or an upstream is not there). */
    String status() {
        if (stopping) {
            return "stopping";
        }
        boolean ready = storeReachable().orElse(true) && signingKeysLoaded().orElse(true) && upstreamsHealthy.getAsBoolean();
        return ready ? "ok" : "unavailable";
    }

    /** The status word with each check's outcome, for operators only. */
    ObjectNode details() {
        ObjectNode details = Json.object();
        details.put("status", status());
        storeReachable().ifPresent(up -> details.put("store", up ? "up" : "down"));
        signingKeysLoaded().ifPresent(loaded -> details.put("signingKeys", loaded ? "loaded" : "missing"));
        return details;
    }

    private Optional<Boolean> storeReachable() {
        return authorizationServer.flatMap(OAuthEndpoints::storeReachable);
    }

    private Optional<Boolean> signingKeysLoaded() {
        return authorizationServer.flatMap(OAuthEndpoints::signingKeysLoaded);
    }
}
