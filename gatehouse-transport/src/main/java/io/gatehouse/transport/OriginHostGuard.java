package io.gatehouse.transport;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * DNS-rebinding protection (T-02, T-03). A present {@code Origin} must be one of the allowed origins, compared
 * exactly by scheme, host and port: {@code http://localhost.evil.com} is not {@code http://localhost}. When the
 * server is bound to loopback, the {@code Host} header must name this server too, because a rebound DNS name
 * arrives with the attacker's host name in it.
 */
final class OriginHostGuard {

    /** Why a request was refused, or empty when it may pass. */
    record Verdict(Optional<String> refusal) {
        static final Verdict PASS = new Verdict(Optional.empty());

        static Verdict refuse(String why) {
            return new Verdict(Optional.of(why));
        }
    }

    private final Set<String> origins;
    private final Set<String> hosts;
    private final boolean checkHost;

    private OriginHostGuard(Set<String> origins, Set<String> hosts, boolean checkHost) {
        this.origins = origins;
        this.hosts = hosts;
        this.checkHost = checkHost;
    }

    /** Builds the allow-lists for a server bound to {@code config.host()} on {@code boundPort}. */
    static OriginHostGuard forServer(TransportConfig config, int boundPort) {
        Set<String> origins = new HashSet<>();
        Set<String> hosts = new HashSet<>();
        for (String name : List.of("localhost", "127.0.0.1", "[::1]")) {
            origins.add(config.scheme() + "://" + name + ":" + boundPort);
            hosts.add(name + ":" + boundPort);
        }
        config.publicBaseUrl().ifPresent(url -> {
            normalizeOrigin(url.toString()).ifPresent(origins::add);
            hosts.add(authority(url.getScheme(), url.getHost(), url.getPort()));
        });
        for (String origin : config.allowedOrigins()) {
            origins.add(normalizeOrigin(origin)
                    .orElseThrow(() -> new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin)));
        }
        for (String host : config.allowedHosts()) {
            hosts.add(normalizeHost(host, "http")
                    .orElseThrow(() -> new IllegalArgumentException("not a host[:port]: " + host)));
        }
        return new OriginHostGuard(Set.copyOf(origins), Set.copyOf(hosts), isLoopback(config.host()));
    }

    /**
     * The guard of the management listener: its {@code Host} must always name it (as a loopback name or its bound
     * address, with its port), wherever it is bound; origins are never allowed.
     */
    static OriginHostGuard forManagement(ManagementListener listener, int boundPort) {
        Set<String> hosts = new HashSet<>();
        for (String name : List.of("localhost", "127.0.0.1", "[::1]")) {
            hosts.add(name + ":" + boundPort);
        }
        String bound = listener.host().contains(":") && !listener.host().startsWith("[") ? "[" + listener.host() + "]" : listener.host();
        normalizeHost(bound + ":" + boundPort, "http").ifPresent(hosts::add);
        return new OriginHostGuard(Set.of(), Set.copyOf(hosts), true);
    }

    Verdict check(String origin, Request request) {
        return check(origin, hostOf(request), request.isSecure() ? "https" : "http");
    }

    /**
     * The host the request names: its {@code Host} header, or, in HTTP/2 (which has none), its {@code :authority}.
     * An HTTP/1.x request without {@code Host} names nothing (Jetty fills the URI's authority in for it: not trusted).
     */
    static String hostOf(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null && request.getConnectionMetaData().getHttpVersion().getVersion() >= 20) {
            return request.getHttpURI().getAuthority();
        }
        return host;
    }

    Verdict check(String origin, String host, String scheme) {
        if (origin != null && !origins.contains(origin) && normalizeOrigin(origin).filter(origins::contains).isEmpty()) {
            return Verdict.refuse("Origin " + printable(origin) + " is not allowed");
        }
        // the common case, a Host already in normal form, needs no parsing
        if (checkHost && (host == null || !hosts.contains(host) && normalizeHost(host, scheme).filter(hosts::contains).isEmpty())) {
            return Verdict.refuse("Host " + printable(host) + " is not allowed");
        }
        return Verdict.PASS;
    }

    boolean isAllowedOrigin(String origin) {
        return origin != null && normalizeOrigin(origin).filter(origins::contains).isPresent();
    }

    /** {@code scheme://host:port} with the scheme and host in lower case and the port always explicit. */
    static Optional<String> normalizeOrigin(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + authority(scheme, uri.getHost(), uri.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    static Optional<String> normalizeHost(String host, String scheme) {
        return normalizeOrigin(scheme + "://" + host.trim()).map(o -> o.substring(o.indexOf("://") + 3));
    }

    private static String authority(String scheme, String host, int port) {
        int effective = port != -1 ? port : ("https".equalsIgnoreCase(scheme) ? 443 : 80);
        return host.toLowerCase(Locale.ROOT) + ":" + effective;
    }

    private static boolean isLoopback(String bindHost) {
        try {
            return InetAddress.getByName(bindHost).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Echoes an untrusted header value in an error message without letting it forge anything. */
    private static String printable(String value) {
        if (value == null) {
            return "(missing)";
        }
        String cut = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return "'" + cut.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }
}
