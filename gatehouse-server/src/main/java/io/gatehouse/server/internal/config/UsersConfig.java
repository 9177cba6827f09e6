package io.gatehouse.server.internal.config;

import io.gatehouse.as.users.User;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The people who can log in to the embedded authorization server, from the config file's {@code users:} section.
 * Passwords appear only as hashes made by {@code gatehouse users hash-password}.
 *
 * <pre>
 * users:
 *   - username: carol
 *     password-hash: "pbkdf2-sha256$210000$..."
 *     roles: [user]
 *     scopes: [mcp:read, mcp:tools]      # what carol may ever be granted (with what is under them: mcp:tools:words);
 *                                        # "*" for everything, [] for nothing; the server grants only its own scopes
 *     disabled: false                    # true: carol cannot log in and her refresh tokens stop working
 * </pre>
 * Removing, disabling or demoting a user takes effect at the next start: their refresh tokens are refused, or
 * give tokens with only the roles and scopes they still hold.
 */
public final class UsersConfig {

    private static final Set<String> KEYS = Set.of("username", "password-hash", "roles", "scopes", "disabled");
    /** The {@code username} and {@code subject} columns of the database. */
    private static final int MAX_USERNAME_LENGTH = 200;

    private UsersConfig() {
    }

    public static List<User> parse(JsonNode section) {
        List<User> users = new ArrayList<>();
        if (section == null || section.isMissingNode() || section.isNull()) {
            return users;
        }
        if (!section.isArray()) {
            throw new ConfigException("The users section of the config file must be a list");
        }
        Set<String> names = new LinkedHashSet<>();
        int index = 0;
        for (JsonNode entry : section) {
            String where = "users[" + index++ + "]";
            for (String key : entry.propertyNames()) {
                if (!KEYS.contains(key)) {
                    throw new ConfigException("Unknown key " + where + "." + key + "; known: " + KEYS);
                }
            }
            String username = entry.path("username").asString("");
            String hash = entry.path("password-hash").asString("");
            if (username.isBlank() || !names.add(username)) {
                throw new ConfigException(where + " needs a unique username");
            }
            if (username.length() > MAX_USERNAME_LENGTH || username.chars().anyMatch(Character::isISOControl)) {
                throw new ConfigException(where + " needs a username of at most " + MAX_USERNAME_LENGTH
                        + " characters without control characters");
            }
            if (!hash.startsWith("pbkdf2-sha256$")) {
                throw new ConfigException(where + " (" + username + ") needs a password-hash made by: gatehouse users hash-password");
            }
            users.add(new User(username, hash, strings(entry.path("roles")), strings(entry.path("scopes")),
                    entry.path("disabled").asBoolean(false)));
        }
        return users;
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        node.forEach(n -> out.add(n.asString("")));
        return out;
    }
}
