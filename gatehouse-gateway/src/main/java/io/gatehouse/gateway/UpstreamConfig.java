package io.gatehouse.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One upstream MCP server Gatehouse relays to: either a Streamable HTTP server at {@code url} or a stdio server
 * Gatehouse starts itself from {@code command} (the program and its arguments, never through a shell).
 * Built by {@link #http}, {@link #stdio} or {@link UpstreamConfigParser}; the constructor validates everything
 * and throws {@link UpstreamConfigException} naming the upstream and the key at fault.
 *
 * @param name            the upstream's name in logs, health and errors ({@code [A-Za-z0-9_-]}, 1 to 64 characters)
 * @param toolPrefix      prepended to the upstream's tool, prompt and resource-template names; empty for none
 * @param kind            how Gatehouse speaks to it
 * @param url             the MCP endpoint (kind http): http or https, no user info, no fragment
 * @param command         the program and its arguments (kind stdio); empty for http
 * @param env             variables set for the stdio child, beside the few a process needs (see {@code ChildEnvironment});
 *                        {@code GATEHOUSE_*} names are refused
 * @param cwd             the stdio child's working directory; empty = Gatehouse's own
 * @param headers         static, non-secret headers added to every HTTP request (secrets go in {@code credentials})
 * @param credentials     how Gatehouse authenticates itself to an HTTP upstream
 * @param timeout         how long a request may wait for its response (including connecting and initializing);
 *                        each progress notification for the request restarts it, up to 10 times this in all
 * @param maxMessageBytes the largest JSON-RPC message accepted from the upstream (a stdio line, a JSON body, an SSE event)
 * @param maxSessions     the most upstream sessions open at once (for stdio: child processes)
 */
public record UpstreamConfig(String name, String toolPrefix, Kind kind, Optional<URI> url, List<String> command,
                             Map<String, String> env, Optional<Path> cwd, Map<String, String> headers,
                             UpstreamCredentials credentials, Duration timeout, int maxMessageBytes, int maxSessions) {

    /** How Gatehouse reaches an upstream. */
    public enum Kind {
        /** Streamable HTTP (MCP 2025-11-25 transports). */
        HTTP,
        /** A child process speaking newline-delimited JSON-RPC on stdin/stdout. */
        STDIO;

        /** The kind as written in the configuration file. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Default request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Default largest upstream message: 4 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** Default bound on open upstream sessions. */
    public static final int DEFAULT_MAX_SESSIONS = 32;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{0,32}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Headers Gatehouse sets itself, or that must never be configured as plain text. */
    private static final List<String> RESERVED_HEADERS = List.of("host", "content-length", "content-type", "accept",
            "connection", "transfer-encoding", "mcp-session-id", "mcp-protocol-version", "last-event-id",
            "authorization", "proxy-authorization", "cookie");

    public UpstreamConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UpstreamConfigException("upstream name must be 1 to 64 letters, digits, '-' or '_', got '"
                    + name + "'");
        }
        toolPrefix = toolPrefix == null ? "" : toolPrefix;
        if (!PREFIX.matcher(toolPrefix).matches()) {
            throw invalid(name, "prefix", "must be at most 32 letters, digits, '.', '-' or '_'");
        }
        if (kind == null) {
            throw invalid(name, "kind", "is required (http or stdio)");
        }
        url = url == null ? Optional.empty() : url;
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        cwd = cwd == null ? Optional.empty() : cwd;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        credentials = credentials == null ? new UpstreamCredentials.None() : credentials;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isZero() || timeout.isNegative()) {
            throw invalid(name, "timeout", "must be positive");
        }
        if (maxMessageBytes < 1024) {
            throw invalid(name, "max-message-bytes", "must be at least 1024");
        }
        if (maxSessions < 1) {
            throw invalid(name, "max-sessions", "must be at least 1");
        }
        switch (kind) {
            case HTTP -> validateHttp(name, url, command, env, cwd);
            case STDIO -> validateStdio(name, url, command, env, headers, credentials);
        }
        validateHeaders(name, headers);
    }

    /** A Streamable HTTP upstream with every other setting at its default. */
    public static UpstreamConfig http(String name, URI url) {
        return new UpstreamConfig(name, "", Kind.HTTP, Optional.ofNullable(url), List.of(), Map.of(), Optional.empty(),
                Map.of(), new UpstreamCredentials.None(), DEFAULT_TIMEOUT, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_SESSIONS);
    }

    /** A stdio upstream from a command line such as {@code --upstream-command "CMD ARGS…"}, split without a shell. */
    public static UpstreamConfig stdio(String name, String commandLine) {
        return stdio(name, CommandLine.split(commandLine));
    }

    /** A stdio upstream from a program and its arguments, with every other setting at its default. */
    public static UpstreamConfig stdio(String name, List<String> command) {
        return new UpstreamConfig(name, "", Kind.STDIO, Optional.empty(), command, Map.of(), Optional.empty(), Map.of(),
                new UpstreamCredentials.None(), DEFAULT_TIMEOUT, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_SESSIONS);
    }

    /** This configuration with another tool-name prefix. */
    public UpstreamConfig withToolPrefix(String prefix) {
        return new UpstreamConfig(name, prefix, kind, url, command, env, cwd, headers, credentials, timeout,
                maxMessageBytes, maxSessions);
    }

    /** This configuration with other child variables (stdio). */
    public UpstreamConfig withEnv(Map<String, String> variables) {
        return new UpstreamConfig(name, toolPrefix, kind, url, command, variables, cwd, headers, credentials, timeout,
                maxMessageBytes, maxSessions);
    }

    /** This configuration with another working directory (stdio). */
    public UpstreamConfig withCwd(Path directory) {
        return new UpstreamConfig(name, toolPrefix, kind, url, command, env, Optional.of(directory), headers, credentials,
                timeout, maxMessageBytes, maxSessions);
    }

    /** This configuration with other static headers (http). */
    public UpstreamConfig withHeaders(Map<String, String> values) {
        return new UpstreamConfig(name, toolPrefix, kind, url, command, env, cwd, values, credentials, timeout,
                maxMessageBytes, maxSessions);
    }

    /** This configuration with other credentials (http). */
    public UpstreamConfig withCredentials(UpstreamCredentials value) {
        return new UpstreamConfig(name, toolPrefix, kind, url, command, env, cwd, headers, value, timeout,
                maxMessageBytes, maxSessions);
    }

    /** This configuration with another request timeout. */
    public UpstreamConfig withTimeout(Duration value) {
        return new UpstreamConfig(name, toolPrefix, kind, url, command, env, cwd, headers, credentials, value,
                maxMessageBytes, maxSessions);
    }

    /** This configuration with another message size limit. */
    public UpstreamConfig withMaxMessageBytes(int value) {
        return new UpstreamConfig(name, toolPrefix, kind, url, command, env, cwd, headers, credentials, timeout,
                value, maxSessions);
    }

    /**
     * The URL as logs, {@code /health} and error messages show it: without its query, where some servers take an API
     * key ({@code ?api_key=...}); empty for a stdio upstream.
     */
    public Optional<String> shownUrl() {
        return url.map(u -> u.getRawQuery() == null ? u.toString()
                : u.toString().substring(0, u.toString().indexOf('?')) + "?…");
    }

    /** This configuration with another bound on open sessions. */
    public UpstreamConfig withMaxSessions(int value) {
        return new UpstreamConfig(name, toolPrefix, kind, url, command, env, cwd, headers, credentials, timeout,
                maxMessageBytes, value);
    }

    private static void validateHttp(String name, Optional<URI> url, List<String> command, Map<String, String> env,
                                     Optional<Path> cwd) {
        URI u = url.orElseThrow(() -> invalid(name, "url", "is required for an http upstream"));
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw invalid(name, "url", "must be an absolute http or https URL, got '" + u + "'");
        }
        if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
            throw invalid(name, "url", "must have no user info and no fragment (put credentials under credentials:)");
        }
        if (!command.isEmpty() || !env.isEmpty() || cwd.isPresent()) {
            throw invalid(name, "command", "command, env and cwd are for a stdio upstream, not an http one");
        }
    }

    private static void validateStdio(String name, Optional<URI> url, List<String> command, Map<String, String> env,
                                      Map<String, String> headers, UpstreamCredentials credentials) {
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw invalid(name, "command", "is required for a stdio upstream (the program and its arguments)");
        }
        for (String argument : command) {
            if (argument == null || argument.indexOf('\0') >= 0) {
                throw invalid(name, "command", "arguments must be text without NUL characters");
            }
        }
        if (credentials instanceof UpstreamCredentials.TokenExchange) {
            throw invalid(name, "auth", "token-exchange is for an http upstream: a stdio upstream is a child process "
                    + "that receives no Authorization header");
        }
        if (url.isPresent() || !headers.isEmpty() || !(credentials instanceof UpstreamCredentials.None)) {
            throw invalid(name, "url", "url, headers and credentials are for an http upstream, not a stdio one");
        }
        env.forEach((key, value) -> {
            if (!ENV_NAME.matcher(key).matches()) {
                throw invalid(name, "env", "'" + key + "' is not a valid variable name");
            }
            if (key.toUpperCase(Locale.ROOT).startsWith("GATEHOUSE_")) {
                throw invalid(name, "env", "'" + key + "': Gatehouse's own settings are never passed to an upstream");
            }
            if (value == null || value.indexOf('\0') >= 0) {
                throw invalid(name, "env", "the value of '" + key + "' must be text without NUL characters");
            }
        });
    }

    private static void validateHeaders(String name, Map<String, String> headers) {
        headers.forEach((header, value) -> {
            if (!HEADER_NAME.matcher(header).matches()) {
                throw invalid(name, "headers", "'" + header + "' is not a valid header name");
            }
            if (RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                throw invalid(name, "headers", "'" + header + "' cannot be configured here"
                        + " (Gatehouse sets it, or it is a secret: use credentials: with value-env or value-file)");
            }
            if (value == null || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw invalid(name, "headers", "the value of '" + header + "' must be one line of text");
            }
        });
    }

    static UpstreamConfigException invalid(String upstream, String key, String problem) {
        return new UpstreamConfigException("upstream '" + upstream + "': " + key + " " + problem);
    }
}
