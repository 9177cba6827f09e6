package io.gatehouse.server.internal.config;

import io.gatehouse.as.federation.ClaimMapping;
import io.gatehouse.as.federation.ClientAuthentication;
import io.gatehouse.as.federation.FederationSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Federated login (issue 18): the {@code login-*} settings, which the config file may also give as a {@code login:}
 * section (keys without the prefix). Example:
 *
 * <pre>
 * login:
 *   issuer: https://sso.example.com/realms/company     # the upstream OpenID provider
 *   client-id: gatehouse                               # Gatehouse's confidential client there
 *   # secret: GATEHOUSE_LOGIN_CLIENT_SECRET, or client-secret-env: OTHER_VARIABLE,
 *   # or client-auth: private_key_jwt (key generated in the data directory)
 *   scopes: [openid, profile, email]
 *   username-claim: preferred_username                 # display only; users are (issuer, sub)
 *   email-claim: email
 *   roles-claim: realm_access.roles                    # or groups; mapped to scopes by access.role-scopes
 *   refresh-check-interval: 5m
 *   allow-local-users: false                           # demo and configured users only when true
 * </pre>
 */
final class LoginConfig {

    static final String KEY_FILE = "login-client-key.json";
    private static final List<String> METHODS = List.of("client_secret_basic", "client_secret_post", "private_key_jwt");

    private LoginConfig() {
    }

    /** The federated login, when {@code login-issuer} is set; every other {@code login-*} setting needs it. */
    static Optional<FederationSettings> parse(GatehouseConfig.Reader r, AuthMode auth, Path dataDir) {
        Optional<String> issuer = r.optional("login-issuer");
        if (issuer.isEmpty()) {
            for (String name : ConfigKeys.names()) {
                if (name.startsWith("login-") && r.settings().get(name).filter(v -> !v.text().isBlank()).isPresent()) {
                    throw r.wrong(name, "needs login-issuer (federated login at an upstream OpenID provider); set login-issuer, "
                            + "or remove " + name);
                }
            }
            return Optional.empty();
        }
        URI issuerUrl = r.httpUrl("login-issuer", issuer.get());
        String host = issuerUrl.getHost();
        if (!issuerUrl.getScheme().equalsIgnoreCase("https")
                && !(host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"))) {
            throw r.wrong("login-issuer", "must be an https URL (http only on localhost): the provider's discovery document, "
                    + "keys, codes and the client secret would otherwise travel in clear text");
        }
        if (auth != AuthMode.EMBEDDED) {
            throw r.wrong("login-issuer", "applies to --auth embedded only (Gatehouse's own authorization server, whose users then "
                    + "sign in at the provider); with --auth external the provider is the authorization server itself");
        }
        String clientId = r.optional("login-client-id").orElseThrow(() -> r.wrong("login-client-id",
                "is required with login-issuer: the client id Gatehouse has at " + issuerUrl));
        if (clientId.length() > 512 || !clientId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw r.wrong("login-client-id", "must be at most 512 printable ASCII characters");
        }
        List<String> scopes = r.list("login-scopes");
        if (!scopes.contains("openid")) {
            throw r.wrong("login-scopes", "must include openid, got " + scopes);
        }
        ClaimMapping claims = new ClaimMapping(claim(r, "login-username-claim"), claim(r, "login-email-claim"),
                claim(r, "login-roles-claim"));
        return Optional.of(new FederationSettings(issuerUrl, clientId, clientAuthentication(r, dataDir), scopes, claims,
                r.duration("login-refresh-check-interval")));
    }

    private static ClientAuthentication clientAuthentication(GatehouseConfig.Reader r, Path dataDir) {
        String method = r.text("login-client-auth").toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        if (!METHODS.contains(method)) {
            throw r.wrong("login-client-auth", "must be one of " + METHODS + ", got '" + r.text("login-client-auth") + "'");
        }
        Optional<String> secret = r.optional("login-client-secret");
        Optional<String> variable = r.optional("login-client-secret-env");
        if (method.equals("private_key_jwt")) {
            if (secret.isPresent() || variable.isPresent()) {
                throw r.wrong("login-client-auth", "is private_key_jwt, but a client secret is set too ("
                        + r.source(secret.isPresent() ? "login-client-secret" : "login-client-secret-env")
                        + "): remove the secret, or choose client_secret_basic");
            }
            return new ClientAuthentication.PrivateKeyJwt(dataDir.resolve(KEY_FILE));
        }
        if (secret.isPresent() && variable.isPresent()) {
            throw r.wrong("login-client-secret-env", "names a variable, but login-client-secret (from " + r.source("login-client-secret")
                    + ") is set too: keep one of them");
        }
        if (variable.isPresent()) {
            String value = r.settings().environment().getOrDefault(variable.get(), "");
            if (value.isBlank()) {
                throw r.wrong("login-client-secret-env", "names the variable " + variable.get() + ", which is not set");
            }
            return new ClientAuthentication.SharedSecret(method, value);
        }
        return new ClientAuthentication.SharedSecret(method, secret.orElseThrow(() -> r.wrong("login-client-secret",
                "is required with login-issuer and " + method + ": set GATEHOUSE_LOGIN_CLIENT_SECRET (or login-client-secret-env "
                        + "naming another variable), or choose login-client-auth private_key_jwt")));
    }

    private static String claim(GatehouseConfig.Reader r, String key) {
        String value = r.text(key);
        if (!ClaimMapping.isPath(value)) {
            throw r.wrong(key, "must name one claim or a dotted path (a.b.c), got '" + value + "'");
        }
        return value;
    }
}
