package io.gatehouse.client.audit;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Does anonymous registration accept a client that brings its own protocol mappers? Keycloak's registration
 * (its {@code default} provider, next to the OpenID Connect one it advertises) takes {@code protocolMappers},
 * limited only by the realm's "Allowed Protocol Mapper Types" policy; its out-of-the-box policy allows the user
 * attribute and user property mappers, so anyone can register a client that copies a user-editable attribute into
 * any claim (roles, scope) of the tokens its users get. The check registers a client with one such mapper that
 * writes to no token, reports whether it was accepted, and the client is deleted with the others.
 */
final class ProtocolMapperCheck {

    static final String ID = "protocol-mappers";
    private static final String NAME = "Self-registered clients cannot add protocol mappers";
    private static final Pattern KEYCLOAK = Pattern.compile("^(.*/realms/[^/]+/clients-registrations)/openid-connect/?$");
    private static final String MAPPER = "gatehouse-idp-check";

    private ProtocolMapperCheck() {
    }

    static Check run(TestClients clients, Optional<URI> registrationEndpoint, boolean register, String redirectUri) {
        Optional<URI> keycloakDefault = registrationEndpoint.flatMap(ProtocolMapperCheck::keycloakDefaultProvider);
        if (keycloakDefault.isEmpty()) {
            return new Check(ID, NAME, Check.Result.NOT_MEASURED, registrationEndpoint.isEmpty() ? "no registration endpoint"
                    : "client-supplied protocol mappers are a Keycloak registration feature; this registration endpoint is not Keycloak's");
        }
        if (!register) {
            return new Check(ID, NAME, Check.Result.NOT_MEASURED, "Keycloak: use --register to try it (the test client is removed)");
        }
        URI endpoint = keycloakDefault.get();
        String request = """
                {"name":"gatehouse idp-check (protocol mapper probe)","protocol":"openid-connect","publicClient":true,
                 "standardFlowEnabled":true,"redirectUris":["%s"],
                 "protocolMappers":[{"name":"%s","protocol":"openid-connect","protocolMapper":"oidc-usermodel-attribute-mapper",
                   "config":{"user.attribute":"gatehouse-idp-check","claim.name":"gatehouse_idp_check","jsonType.label":"String",
                             "access.token.claim":"false","id.token.claim":"false","userinfo.token.claim":"false",
                             "introspection.token.claim":"false"}}]}""".formatted(redirectUri, MAPPER);
        TestClients.Result result = clients.register(endpoint, request, "protocol mapper probe", keycloakManagement(endpoint));
        if (result.client().isEmpty()) {
            boolean mapperRefused = result.status() / 100 == 4 && result.problem().toLowerCase(Locale.ROOT).contains("mapper");
            return mapperRefused ? new Check(ID, NAME, Check.Result.YES, "refused (HTTP " + result.status() + ", "
                    + result.problem() + "): anonymous registration cannot bring its own mappers")
                    : new Check(ID, NAME, Check.Result.NOT_MEASURED, "the probe registration failed for another reason (HTTP "
                    + result.status() + (result.problem().isEmpty() ? "" : ", " + result.problem()) + ")");
        }
        boolean kept = false;
        for (JsonNode mapper : result.client().get().response().path("protocolMappers")) {
            kept |= MAPPER.equals(mapper.path("name").asString(""));
        }
        return kept ? new Check(ID, NAME, Check.Result.NO, "anonymous registration accepted a client with an oidc-usermodel-attribute-mapper:"
                + " anyone can register a client that puts user-editable attributes in any claim of its users' tokens (e.g. roles)."
                + " Remove the user attribute and property mappers from the realm's anonymous 'Allowed Protocol Mapper Types' policy")
                : new Check(ID, NAME, Check.Result.YES, "registration succeeded but the mapper was dropped");
    }

    /** Keycloak's {@code default} registration provider next to its advertised OpenID Connect one, on the same origin. */
    static Optional<URI> keycloakDefaultProvider(URI registrationEndpoint) {
        Matcher m = KEYCLOAK.matcher(registrationEndpoint.toString());
        return m.matches() ? Optional.of(URI.create(m.group(1) + "/default")) : Optional.empty();
    }

    /** Keycloak's representation: {@code clientId}, {@code registrationAccessToken}, managed at {@code default/<clientId>}. */
    private static TestClients.Management keycloakManagement(URI endpoint) {
        return new TestClients.Management() {
            @Override
            public String clientId(JsonNode response) {
                return response.path("clientId").asString("");
            }

            @Override
            public Optional<URI> uri(JsonNode response, String clientId) {
                return Optional.of(URI.create(endpoint + "/" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)));
            }

            @Override
            public Optional<String> token(JsonNode response) {
                return TestClients.text(response, "registrationAccessToken");
            }
        };
    }
}
