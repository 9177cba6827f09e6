package io.gatehouse.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code upstreams:} section of a configuration file, already parsed into maps and lists (YAML or JSON):
 *
 * <pre>{@code
 * upstreams:
 *   - name: files                  # required; used in logs, health and errors
 *     prefix: files_               # optional tool/prompt/template name prefix (must differ between upstreams)
 *     command: npx                 # stdio: the program ...
 *     args: [-y, "@modelcontextprotocol/server-filesystem", /srv/data]   # ... and its arguments, as a list
 *     # command: "npx -y pkg /srv" # or one string, split like a shell would but never run by one
 *     env: {LOG_LEVEL: info}       # the child gets these plus PATH, HOME, LANG, TMPDIR, ...; never GATEHOUSE_*
 *     cwd: /srv                    # optional working directory
 *     timeout: 30s                 # optional, default 30s (ms, s, m, h or ISO-8601)
 *     max-message-bytes: 4194304   # optional, default 4 MiB
 *     max-sessions: 32             # optional, default 32 (stdio: child processes at once)
 *   - name: search
 *     url: http://127.0.0.1:8000/mcp            # Streamable HTTP
 *     headers: {X-Tenant: acme}                 # optional static, non-secret headers
 *     credentials:                              # optional: Gatehouse's own credentials for the upstream
 *       header: Authorization
 *       prefix: "Bearer "
 *       value-env: SEARCH_UPSTREAM_TOKEN        # or value-file: /run/secrets/search-token
 *   - name: billing
 *     url: https://billing.internal/mcp
 *     credentials:                              # or an OAuth client-credentials token, obtained and refreshed
 *       token-endpoint: https://idp.internal/oauth2/token
 *       client-id: gatehouse-gateway
 *       client-secret-env: BILLING_CLIENT_SECRET   # or client-secret-file
 *       scope: "billing:read"                   # optional
 *       resource: https://billing.internal/mcp  # optional RFC 8707 resource indicator
 *   - name: reports
 *     url: https://reports.internal/mcp
 *     auth: token-exchange                      # or: each request carries the caller's token exchanged (RFC 8693)
 *     downstream: reports                       # for the audience of this downstreams: entry (Gatehouse's config)
 * }</pre>
 *
 * {@code kind: http|stdio} may be given and must then agree with {@code url} / {@code command}. Unknown keys are
 * errors, so a typo cannot silently drop a setting. Every error is an {@link UpstreamConfigException} naming the
 * upstream and the key.
 */
public final class UpstreamConfigParser {

    private static final Set<String> KEYS = Set.of("name", "prefix", "kind", "url", "command", "args", "env", "cwd",
            "headers", "credentials", "timeout", "max-message-bytes", "max-sessions", "auth", "downstream");
    private static final Set<String> CREDENTIAL_KEYS = Set.of("header", "prefix", "value-env", "value-file");
    private static final Set<String> CLIENT_CREDENTIAL_KEYS = Set.of("token-endpoint", "client-id", "client-secret-env",
            "client-secret-file", "scope", "resource");

    private UpstreamConfigParser() {
    }

    /**
     * The upstreams of a configuration file's root map; an empty list when it has no {@code upstreams} key.
     *
     * @param root the whole configuration file as maps, lists and scalars
     */
    public static List<UpstreamConfig> parse(Map<String, ?> root) {
        Object section = root.get("upstreams");
        if (section == null) {
            return List.of();
        }
        if (!(section instanceof List<?> entries)) {
            throw new UpstreamConfigException("upstreams must be a list of upstreams (each with a name)");
        }
        List<UpstreamConfig> upstreams = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map)) {
                throw new UpstreamConfigException("each entry of upstreams must be a map with a name");
            }
            UpstreamConfig upstream = parseOne(map);
            if (!names.add(upstream.name())) {
                throw new UpstreamConfigException("upstream '" + upstream.name() + "' is listed twice");
            }
            if (!prefixes.add(upstream.toolPrefix())) {
                throw UpstreamConfig.invalid(upstream.name(), "prefix", "'" + upstream.toolPrefix()
                        + "' is already used by another upstream; give each upstream its own prefix");
            }
            upstreams.add(upstream);
        }
        return List.copyOf(upstreams);
    }

    /** One upstream's map. */
    public static UpstreamConfig parseOne(Map<?, ?> map) {
        Object rawName = map.get("name");
        if (!(rawName instanceof String name) || name.isBlank()) {
            throw new UpstreamConfigException("every upstream needs a name");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw UpstreamConfig.invalid(name, String.valueOf(key), "is not a known key (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        Optional<URI> url = Optional.ofNullable(text(map, name, "url")).map(u -> uri(name, u));
        List<String> command = command(map, name);
        UpstreamConfig.Kind kind = kind(map, name, url.isPresent(), !command.isEmpty());
        return new UpstreamConfig(name, Optional.ofNullable(text(map, name, "prefix")).orElse(""), kind, url, command,
                stringMap(map, name, "env"), Optional.ofNullable(text(map, name, "cwd")).map(Path::of),
                stringMap(map, name, "headers"), credentials(map, name),
                Optional.ofNullable(text(map, name, "timeout")).map(t -> duration(name, t)).orElse(UpstreamConfig.DEFAULT_TIMEOUT),
                integer(map, name, "max-message-bytes", UpstreamConfig.DEFAULT_MAX_MESSAGE_BYTES),
                integer(map, name, "max-sessions", UpstreamConfig.DEFAULT_MAX_SESSIONS));
    }

    private static UpstreamConfig.Kind kind(Map<?, ?> map, String name, boolean hasUrl, boolean hasCommand) {
        if (hasUrl && hasCommand) {
            throw UpstreamConfig.invalid(name, "url", "and command cannot both be set: an upstream is http or stdio");
        }
        String written = text(map, name, "kind");
        UpstreamConfig.Kind inferred = hasUrl ? UpstreamConfig.Kind.HTTP : hasCommand ? UpstreamConfig.Kind.STDIO : null;
        if (written == null) {
            if (inferred == null) {
                throw UpstreamConfig.invalid(name, "url", "or command is required");
            }
            return inferred;
        }
        UpstreamConfig.Kind kind = switch (written.toLowerCase(Locale.ROOT)) {
            case "http" -> UpstreamConfig.Kind.HTTP;
            case "stdio" -> UpstreamConfig.Kind.STDIO;
            default -> throw UpstreamConfig.invalid(name, "kind", "must be http or stdio, got '" + written + "'");
        };
        if (inferred != null && inferred != kind) {
            throw UpstreamConfig.invalid(name, "kind", "is " + written + " but the upstream has "
                    + (hasUrl ? "a url" : "a command"));
        }
        return kind;
    }

    private static List<String> command(Map<?, ?> map, String name) {
        Object command = map.get("command");
        List<String> words = new ArrayList<>();
        if (command instanceof String line) {
            words.addAll(CommandLine.split(line));
        } else if (command instanceof List<?> list) {
            words.addAll(strings(list, name, "command"));
        } else if (command != null) {
            throw UpstreamConfig.invalid(name, "command", "must be a string or a list of strings");
        }
        Object args = map.get("args");
        if (args != null) {
            if (command == null) {
                throw UpstreamConfig.invalid(name, "args", "needs a command");
            }
            if (!(args instanceof List<?> list)) {
                throw UpstreamConfig.invalid(name, "args", "must be a list of strings");
            }
            words.addAll(strings(list, name, "args"));
        }
        return words;
    }

    private static UpstreamCredentials credentials(Map<?, ?> map, String name) {
        String auth = text(map, name, "auth");
        String downstream = text(map, name, "downstream");
        if (auth != null || downstream != null) {
            if (!"token-exchange".equals(auth)) {
                throw UpstreamConfig.invalid(name, "auth", "may only be token-exchange (with downstream: naming the "
                        + "downstreams: entry whose audience the upstream expects)");
            }
            if (map.containsKey("credentials")) {
                throw UpstreamConfig.invalid(name, "auth", "token-exchange and credentials cannot both be given: with "
                        + "token exchange the upstream gets the caller's exchanged token as Authorization");
            }
            try {
                return new UpstreamCredentials.TokenExchange(downstream);
            } catch (UpstreamConfigException e) {
                throw UpstreamConfig.invalid(name, "downstream", e.getMessage());
            }
        }
        Object value = map.get("credentials");
        if (value == null) {
            return new UpstreamCredentials.None();
        }
        if (!(value instanceof Map<?, ?> credentials)) {
            throw UpstreamConfig.invalid(name, "credentials", "must be a map (header, prefix, value-env or value-file)");
        }
        if (credentials.containsKey("token-endpoint")) {
            return clientCredentials(credentials, name);
        }
        for (Object key : credentials.keySet()) {
            if (!CREDENTIAL_KEYS.contains(String.valueOf(key))) {
                throw UpstreamConfig.invalid(name, "credentials." + key, "is not a known key (known: header, prefix,"
                        + " value-env, value-file)");
            }
        }
        String env = text(credentials, name, "value-env");
        String file = text(credentials, name, "value-file");
        if ((env == null) == (file == null)) {
            throw UpstreamConfig.invalid(name, "credentials", "needs exactly one of value-env and value-file");
        }
        UpstreamCredentials.SecretSource source = env != null ? new UpstreamCredentials.FromEnv(env)
                : new UpstreamCredentials.FromFile(Path.of(file));
        String header = Optional.ofNullable(text(credentials, name, "header")).orElse("Authorization");
        try {
            return new UpstreamCredentials.StaticHeader(header, source, text(credentials, name, "prefix"));
        } catch (UpstreamConfigException e) {
            throw UpstreamConfig.invalid(name, "credentials", e.getMessage());
        }
    }

    private static UpstreamCredentials clientCredentials(Map<?, ?> credentials, String name) {
        for (Object key : credentials.keySet()) {
            if (!CLIENT_CREDENTIAL_KEYS.contains(String.valueOf(key))) {
                throw UpstreamConfig.invalid(name, "credentials." + key, "is not a known key (known: "
                        + String.join(", ", CLIENT_CREDENTIAL_KEYS.stream().sorted().toList()) + ")");
            }
        }
        String env = text(credentials, name, "client-secret-env");
        String file = text(credentials, name, "client-secret-file");
        if ((env == null) == (file == null)) {
            throw UpstreamConfig.invalid(name, "credentials", "needs exactly one of client-secret-env and client-secret-file");
        }
        try {
            return new UpstreamCredentials.ClientCredentials(uri(name, text(credentials, name, "token-endpoint")),
                    text(credentials, name, "client-id"),
                    env != null ? new UpstreamCredentials.FromEnv(env) : new UpstreamCredentials.FromFile(Path.of(file)),
                    text(credentials, name, "scope"),
                    Optional.ofNullable(text(credentials, name, "resource")).map(r -> uri(name, r)));
        } catch (UpstreamConfigException e) {
            throw UpstreamConfig.invalid(name, "credentials", e.getMessage());
        }
    }

    private static String text(Map<?, ?> map, String name, String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw UpstreamConfig.invalid(name, key, "must be a single value");
    }

    private static int integer(Map<?, ?> map, String name, String key, int fallback) {
        String value = text(map, name, key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw UpstreamConfig.invalid(name, key, "must be a whole number, got '" + value + "'");
        }
    }

    private static List<String> strings(List<?> list, String name, String key) {
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
                throw UpstreamConfig.invalid(name, key, "must be a list of strings");
            }
            out.add(item.toString());
        }
        return out;
    }

    private static Map<String, String> stringMap(Map<?, ?> map, String name, String key) {
        Object value = map.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> entries)) {
            throw UpstreamConfig.invalid(name, key, "must be a map of names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (v == null || v instanceof Map || v instanceof List) {
                throw UpstreamConfig.invalid(name, key, "the value of '" + k + "' must be a single value");
            }
            out.put(String.valueOf(k), v.toString());
        });
        return out;
    }

    private static URI uri(String name, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw UpstreamConfig.invalid(name, "url", "is not a valid URL: '" + value + "'");
        }
    }

    static Duration duration(String name, String written) {
        String value = written.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (value.startsWith("p")) {
                d = Duration.parse(value.toUpperCase(Locale.ROOT));
            } else if (value.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else if (value.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(value));
            }
            if (d.isZero() || d.isNegative()) {
                throw UpstreamConfig.invalid(name, "timeout", "must be positive, got '" + written + "'");
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw UpstreamConfig.invalid(name, "timeout", "must be a duration such as 500ms, 30s or 2m, got '" + written + "'");
        }
    }
}
