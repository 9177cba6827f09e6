package io.gatehouse.transport;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The public listener over TLS: HTTP/2 and HTTP/1.1 negotiated with ALPN (HTTP/1.1 for clients that offer
 * nothing), the certificate from {@link TlsConfig} and reloaded when its files change ({@link CertificateReloader}).
 * Protocol versions and cipher suites are Jetty's defaults (TLS 1.2 and 1.3, no weak suites).
 */
final class TlsConnector {

    private TlsConnector() {
    }

    /** A connector on {@code server} serving {@code http}'s settings over TLS; the reloader runs while it does. */
    static ServerConnector create(Server server, HttpConfiguration http, TlsConfig config) {
        TlsCredentials credentials = TlsCredentials.load(config);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        CertificateReloader.use(ssl, credentials);
        HttpConfiguration https = new HttpConfiguration(http);
        https.setSecureScheme("https");
        https.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, http2, http11);
        connector.addBean(new CertificateReloader(config, ssl, credentials));
        return connector;
    }
}
