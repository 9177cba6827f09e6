package io.gatehouse.as.clients;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One GET of a URL over a connection to exactly the addresses the {@link SsrfGuard} checked, tried in order: the
 * host name is never looked up again for the connection, so DNS rebinding cannot move it elsewhere.
 *
 * <p>https keeps its identity: the request names the host, and TLS sends it as the server name (SNI) and checks the
 * certificate against it ({@link PinnedSocketFactory}). Plain http (loopback, development only) connects to the
 * checked address literally. {@code java.net.http.HttpClient} cannot be told where to connect, so this uses the JDK's
 * {@code HttpsURLConnection}, whose socket factory can: no proxy, no redirects, no caches, no authenticator, no
 * connection reuse.
 */
final class PinnedFetch {

    /** The answer: status, Cache-Control ("" when absent), and the body of a 200 up to one byte past the limit. */
    record Response(int status, String cacheControl, byte[] body) {
    }

    private final URI url;
    private final List<InetAddress> addresses;
    private final SSLSocketFactory tls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxBytes;
    private volatile HttpURLConnection current;

    PinnedFetch(URI url, List<InetAddress> addresses, SSLSocketFactory tls, Duration connectTimeout, Duration readTimeout,
                int maxBytes) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no checked address to connect to");
        }
        this.url = url;
        this.addresses = List.copyOf(addresses);
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxBytes = maxBytes;
    }

    Response get() throws IOException {
        IOException unreachable = null;
        for (InetAddress address : addresses) {
            HttpURLConnection connection = open(address);
            current = connection;
            try {
                try {
                    connection.connect();
                } catch (IOException e) {
                    unreachable = e;
                    continue;
                }
                int status = connection.getResponseCode();
                String cacheControl = connection.getHeaderField("Cache-Control");
                byte[] body = new byte[0];
                if (status == 200) {
                    try (InputStream in = connection.getInputStream()) {
                        body = in.readNBytes(maxBytes + 1);
                    }
                }
                return new Response(status, cacheControl == null ? "" : cacheControl, body);
            } finally {
                connection.disconnect();
            }
        }
        throw unreachable;
    }

    /** Closes the connection in progress, from another thread (the caller's deadline passed). */
    void abort() {
        HttpURLConnection connection = current;
        if (connection != null) {
            connection.disconnect();
        }
    }

    private HttpURLConnection open(InetAddress address) throws IOException {
        HttpURLConnection connection;
        if (url.getScheme().equals("https")) {
            HttpsURLConnection https = (HttpsURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
            https.setSSLSocketFactory(new PinnedSocketFactory(tls, url.getHost(), port(), address, connectTimeout));
            connection = https;
        } else {
            connection = (HttpURLConnection) literal(address).openConnection(Proxy.NO_PROXY);
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setAllowUserInteraction(false);
        connection.setAuthenticator(new Authenticator() { });
        connection.setConnectTimeout((int) connectTimeout.toMillis());
        connection.setReadTimeout((int) readTimeout.toMillis());
        connection.setRequestProperty("Accept", "application/json");
        return connection;
    }

    private int port() {
        return url.getPort() == -1 ? (url.getScheme().equals("https") ? 443 : 80) : url.getPort();
    }

    /** The http URL with its host replaced by the checked address, path and query exactly as they were. */
    private URL literal(InetAddress address) throws IOException {
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        return URI.create("http://" + host + ":" + port() + url.getRawPath() + query).toURL();
    }
}
