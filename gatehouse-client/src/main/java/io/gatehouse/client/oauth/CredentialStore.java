package io.gatehouse.client.oauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client registrations and tokens, one entry per authorization server (CL-08): an entry belongs to an issuer
 * and to the metadata URL that issuer's metadata was validated against, and is reused only for metadata fetched
 * from that same URL, never for an issuer a document merely names. One JSON file readable only by its owner
 * (created with mode 600, replaced atomically). Lives in {@code $XDG_CONFIG_HOME/gatehouse/credentials.json} by
 * default.
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

    /** The registration made at the authorization server {@code as} describes: same issuer and same metadata URL. */
    public synchronized Optional<Credentials> find(ServerMetadata as) {
        return readAll().stream().filter(c -> c.belongsTo(as)).findFirst();
    }

    /** The credentials holding tokens for this server URL (their resource is it, or its origin or a prefix). */
    public synchronized Optional<Credentials> findForServer(java.net.URI serverUrl) {
        return readAll().stream()
                .filter(c -> c.tokens().map(t -> !t.resource().isEmpty()
                        && ResourceMetadata.matches(java.net.URI.create(t.resource()), serverUrl)).orElse(false))
                .findFirst();
    }

    /**
     * Saves {@code credentials} in place of the entry of the same issuer and metadata URL. Tokens for the same
     * resource held by another entry are dropped (one login per server), and so are entries left with nothing.
     */
    public synchronized void save(Credentials credentials) {
        Optional<String> resource = credentials.tokens().map(Credentials.Tokens::resource).filter(r -> !r.isEmpty());
        List<Credentials> all = new ArrayList<>();
        for (Credentials c : readAll()) {
            if (sameEntry(c, credentials)) {
                continue;
            }
            Credentials kept = resource.isPresent() && c.tokens().map(t -> t.resource().equals(resource.get())).orElse(false)
                    ? c.withoutTokens() : c;
            if (kept.metadataUrl().isPresent() || kept.tokens().isPresent()) {
                all.add(kept);
            }
        }
        all.add(credentials);
        writeAll(all);
    }

    /** Forgets every registration and token held for this issuer. */
    public synchronized void remove(String issuer) {
        List<Credentials> all = readAll();
        if (all.removeIf(c -> c.issuer().equals(issuer))) {
            writeAll(all);
        }
    }

    private static boolean sameEntry(Credentials a, Credentials b) {
        return a.issuer().equals(b.issuer()) && a.metadataUrl().equals(b.metadataUrl());
    }

    /** Reads the file: {@code {"clients":[...]}}, or the older layout keyed by issuer (read with no metadata URL). */
    private List<Credentials> readAll() {
        List<Credentials> all = new ArrayList<>();
        if (!Files.exists(file)) {
            return all;
        }
        try {
            JsonNode root = Http.JSON.readTree(Files.readString(file));
            if (root.has("clients")) {
                root.path("clients").forEach(c -> all.add(entry(c.path("issuer").asString(), c)));
            } else {
                root.properties().forEach(e -> all.add(entry(e.getKey(), e.getValue())));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new OAuthClientException("the credentials file " + file + " is damaged; remove it and log in again");
        }
    }

    private static Credentials entry(String issuer, JsonNode c) {
        if (issuer.isEmpty()) {
            throw new IllegalArgumentException("an entry without issuer");
        }
        Optional<Credentials.Tokens> tokens = Optional.empty();
        if (c.has("tokens")) {
            JsonNode t = c.get("tokens");
            tokens = Optional.of(new Credentials.Tokens(t.path("resource").asString(""), t.path("access_token").asString(""),
                    optional(t, "refresh_token"), t.path("scope").asString(""), Instant.parse(t.path("expires_at").asString())));
        }
        return new Credentials(issuer, optional(c, "metadata_url").map(URI::create), c.path("client_id").asString(""),
                optional(c, "client_secret"), c.path("auth_method").asString("none"), tokens);
    }

    private void writeAll(List<Credentials> all) {
        ObjectNode root = Http.JSON.createObjectNode();
        var clients = root.putArray("clients");
        for (Credentials c : all) {
            ObjectNode entry = clients.addObject();
            entry.put("issuer", c.issuer());
            c.metadataUrl().ifPresent(u -> entry.put("metadata_url", u.toString()));
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
