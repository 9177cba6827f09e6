package io.gatehouse.client.oauth;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;

/** Tells an MCP URL from an issuer: an MCP URL answers unauthenticated requests with a 401 pointing at its metadata. */
public final class ResourceMetadataLookup {

    /** The issuer to audit, and the resource when an MCP URL was given. */
    public record Target(String issuer, Optional<String> resource) {
    }

    private ResourceMetadataLookup() {
    }

    public static Target resolve(Http http, String target) {
        URI url = UrlPolicy.check(target, "the target");
        HttpResponse<String> probe = http.postJson(url, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                "Accept", "application/json, text/event-stream");
        if (probe.statusCode() == 401) {
            Optional<WwwAuthenticate> challenge = WwwAuthenticate.parse(probe.headers().firstValue("WWW-Authenticate").orElse(null));
            Optional<ResourceMetadata> prm = ResourceMetadata.discover(http, url, challenge.flatMap(WwwAuthenticate::resourceMetadata));
            if (prm.isPresent()) {
                return new Target(prm.get().authorizationServers().get(0), Optional.of(prm.get().resource().toString()));
            }
        }
        return new Target(target, Optional.empty());
    }
}
