package io.gatehouse.client.oauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client registrations and tokens, one entry per authorization server issuer (CL-08), in one JSON file readable
 * only by its owner (created with mode 600, replaced atomically). Lives in
 * {@code $XDG_CONFIG_HOME/gatehouse/credentials.json} by default.
 */
public final class CredentialStore {

    private final Path file;

    public CredentialStore(Path file) {
        this.file = file;
    }

    public static Path defaultFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("gatehouse").resolve("credentials.json");
    }

    public synchronized Optional<Credentials> find(String issuer) {
        return Optional.ofNullable(readAll().get(issuer));
    }

    /** The credentials holding tokens for this server URL (their resource is it, or its origin or a prefix). */
    public synchronized Optional<Credentials> findForServer(java.net.URI serverUrl) {
        return readAll().values().stream()
                .filter(c -> c.tokens().map(t -> !t.resource().isEmpty()
                        && ResourceMetadata.matches(java.net.URI.create(t.resource()), serverUrl)).orElse(false))
                .findFirst();
    }

    public synchronized void save(Credentials credentials) {
        Map<String, Credentials> all = readAll();
        all.put(credentials.issuer(), credentials);
        writeAll(all);
    }

    public synchronized void remove(String issuer) {
        Map<String, Credentials> all = readAll();
        if (all.remove(issuer) != null) {
            writeAll(all);
        }
    }

    private Map<String, Credentials> readAll() {
        Map<String, Credentials> all = new TreeMap<>();
        if (!Files.exists(file)) {
            return all;
        }
        try {
            JsonNode root = Http.JSON.readTree(Files.readString(file));
            for (var entry : root.properties()) {
                JsonNode c = entry.getValue();
                Optional<Credentials.Tokens> tokens = Optional.empty();
                if (c.has("tokens")) {
                    JsonNode t = c.get("tokens");
                    tokens = Optional.of(new Credentials.Tokens(t.path("resource").asString(""), t.path("access_token").asString(""),
                            optional(t, "refresh_token"), t.path("scope").asString(""), Instant.parse(t.path("expires_at").asString())));
                }
                all.put(entry.getKey(), new Credentials(entry.getKey(), c.path("client_id").asString(""), optional(c, "client_secret"),
                        c.path("auth_method").asString("none"), tokens));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new OAuthClientException("the credentials file " + file + " is damaged; remove it and log in again");
        }
    }

    private void writeAll(Map<String, Credentials> all) {
        ObjectNode root = Http.JSON.createObjectNode();
        for (Credentials c : all.values()) {
            ObjectNode entry = root.putObject(c.issuer());
            entry.put("client_id", c.clientId());
            c.clientSecret().ifPresent(s -> entry.put("client_secret", s));
            entry.put("auth_method", c.authMethod());
            c.tokens().ifPresent(t -> {
                ObjectNode tokens = entry.putObject("tokens");
                tokens.put("resource", t.resource());
                tokens.put("access_token", t.accessToken());
                t.refreshToken().ifPresent(r -> tokens.put("refresh_token", r));
                tokens.put("scope", t.scope());
                tokens.put("expires_at", t.expiresAt().toString());
            });
        }
        try {
            try {
                // a missing directory (and parent) is made readable by its owner only as well
                Files.createDirectories(file.toAbsolutePath().getParent(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> optional(JsonNode node, String name) {
        String value = node.path(name).asString("");
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
