package io.gatehouse.server.internal.config;

import io.gatehouse.as.clients.RegisteredClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the embedded authorization server ({@code --auth embedded}). */
public record EmbeddedAsConfig(boolean demoUsers, Optional<String> demoPassword, Duration accessTokenTtl,
                               Duration refreshTokenTtl, boolean registrationOpen, Optional<String> registrationToken,
                               List<RegisteredClient> clients, boolean metadataDocuments, boolean metadataDocumentsOnLoopback,
                               Optional<String> databaseUrl, Optional<String> databaseUser, Optional<String> databasePassword,
                               List<io.gatehouse.as.users.User> users, Duration signingKeyLifetime,
                               Duration refreshTokenMaxLifetime,
                               Optional<String> keyEncryptionKey, Optional<java.nio.file.Path> keyEncryptionKeyFile,
                               java.util.Map<String, String> scopeDescriptions, Duration tokenExchangeLifetime) {

    /**
     * {@code scopeDescriptions}: the config file's {@code scopes:} section, what each scope allows in the operator's words;
     * {@code tokenExchangeLifetime}: how long a token issued by token exchange (RFC 8693) lives.
     */
    public EmbeddedAsConfig {
        scopeDescriptions = java.util.Map.copyOf(scopeDescriptions);
    }

    @Override
    public String toString() {
        return "EmbeddedAsConfig[demoUsers=" + demoUsers + ", demoPassword=" + (demoPassword.isPresent() ? "(set)" : "(generated)")
                + ", accessTokenTtl=" + accessTokenTtl + ", tokenExchangeLifetime=" + tokenExchangeLifetime + ", refreshTokenTtl=" + refreshTokenTtl + ", refreshTokenMaxLifetime="
                + refreshTokenMaxLifetime + ", registrationOpen="
                + registrationOpen + ", registrationToken=" + (registrationToken.isPresent() ? "(set)" : "(none)")
                + ", metadataDocuments=" + metadataDocuments + ", metadataDocumentsOnLoopback=" + metadataDocumentsOnLoopback
                + ", databaseUrl=" + databaseUrl.map(u -> u.replaceAll("password=[^;&]*", "password=***")).orElse("(H2 in data-dir)")
                + ", databasePassword=" + (databasePassword.isPresent() ? "(set)" : "(none)")
                + ", keyEncryptionKey=" + (keyEncryptionKey.isPresent() ? "(set)" : keyEncryptionKeyFile.map(Object::toString).orElse("(data-dir)"))
                + "]";
    }
}
