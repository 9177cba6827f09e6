package io.gatehouse.server.internal.auth;

import io.gatehouse.as.store.StoreUnavailableException;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.OAuthRoutes;
import io.gatehouse.transport.OAuthEndpoints;
import io.gatehouse.transport.OAuthRequest;
import io.gatehouse.transport.OAuthResponse;
import io.gatehouse.transport.StorageUnavailableException;
import java.util.Optional;

/**
 * The authorization server's routes (embedded server or upstream bridge) as the transport's {@link OAuthEndpoints}:
 * the one place that knows both, so that neither module depends on the other. A store that cannot be reached becomes
 * the transport's {@link StorageUnavailableException} (503 with {@code Retry-After}).
 */
final class OAuthRoutesEndpoints implements OAuthEndpoints {

    private final OAuthRoutes routes;

    OAuthRoutesEndpoints(OAuthRoutes routes) {
        this.routes = routes;
    }

    @Override
    public Optional<OAuthResponse> handle(OAuthRequest request) {
        try {
            return routes.handle(new AsRequest(request.method(), request.path(), request.query(), request.form(),
                    request.headers(), request.cookies(), request.body(), request.remoteAddress())).map(OAuthRoutesEndpoints::toResponse);
        } catch (StoreUnavailableException e) {
            throw new StorageUnavailableException("the authorization server's store: " + e.getMessage(), e);
        }
    }

    @Override
    public OAuthResponse malformedRequest(String path) {
        return toResponse(routes.malformedRequest(path));
    }

    @Override
    public boolean owns(String path) {
        return routes.owns(path);
    }

    @Override
    public boolean isCrossOrigin(String path) {
        return routes.isCrossOrigin(path);
    }

    @Override
    public Optional<Boolean> storeReachable() {
        return routes.storeReachable();
    }

    @Override
    public Optional<Boolean> signingKeysLoaded() {
        return routes.signingKeysLoaded();
    }

    @Override
    public void maintain() {
        routes.maintain();
    }

    private static OAuthResponse toResponse(AsResponse response) {
        return new OAuthResponse(response.status(), response.headers(), response.setCookies(), response.body());
    }
}
