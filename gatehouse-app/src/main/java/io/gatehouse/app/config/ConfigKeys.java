package io.gatehouse.app.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every setting Gatehouse reads, with its default and meaning; the one list the docs and errors come from. */
public final class ConfigKeys {

    /** A documented setting. {@code defaultValue} is empty when the setting is optional. */
    public record Key(String name, String defaultValue, String description) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        add("host", "127.0.0.1", "Address to bind. Loopback by default; anything else exposes the server to the network.");
        add("port", "9000", "Port to bind (0 picks a free one).");
        add("public-url", "", "Base URL clients use when Gatehouse sits behind a proxy (e.g. https://mcp.example.com). "
                + "Defaults to http://localhost:<port>.");
        add("auth", "none", "Who issues access tokens. Only 'none' (no authentication; loopback only) exists so far.");
        add("session-mode", "stateful", "stateful (Mcp-Session-Id, GET streams) or stateless (every POST stands alone).");
        add("fixtures", "", "Extra tool packs to register: 'conformance' adds the official conformance suite's fixtures.");
        add("data-dir", "gatehouse-data", "Directory for state kept between runs.");
        add("allowed-origins", "", "Comma-separated browser origins allowed besides the server's own (exact scheme://host:port).");
        add("allowed-hosts", "", "Comma-separated Host values allowed besides the server's own (host:port).");
        add("max-request-bytes", "4194304", "Largest request body accepted; larger ones get 413.");
        add("max-header-bytes", "16384", "Largest request header block accepted; larger ones get 431.");
        add("session-idle-timeout", "30m", "A session unused this long is ended (its id then gets 404).");
        add("sse-keep-alive", "15s", "Interval of keep-alive comments on idle event streams.");
        add("sse-idle-timeout", "10m", "A GET event stream with no message this long is closed; clients reconnect.");
        add("idle-timeout", "2m", "A connection with no traffic this long is closed.");
        add("page-size", "50", "Items per page in tools/list, prompts/list and resources/list.");
    }

    private ConfigKeys() {
    }

    private static void add(String name, String defaultValue, String description) {
        KEYS.put(name, new Key(name, defaultValue, description));
    }

    public static boolean isKnown(String name) {
        return KEYS.containsKey(name);
    }

    public static List<String> names() {
        return List.copyOf(KEYS.keySet());
    }

    public static List<Key> all() {
        return List.copyOf(KEYS.values());
    }

    static Key key(String name) {
        return KEYS.get(name);
    }
}
