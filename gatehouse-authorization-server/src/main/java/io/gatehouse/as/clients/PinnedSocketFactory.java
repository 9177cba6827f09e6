package io.gatehouse.as.clients;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets for one host name whose TCP connection goes to one checked address, whatever address the caller asks
 * for: {@code HttpsURLConnection} resolves the URL's host itself before connecting, and that answer is ignored here.
 * The TLS layer is the JDK's, told the host name for SNI and for the certificate check (endpoint identification
 * {@code HTTPS}), so pinning the address changes nothing about whom the certificate must name.
 */
final class PinnedSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory tls;
    private final String host;
    private final int port;
    private final InetAddress address;
    private final int connectTimeoutMillis;

    PinnedSocketFactory(SSLSocketFactory tls, String host, int port, InetAddress address, Duration connectTimeout) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.address = address;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    }

    /** An unconnected socket whose {@code connect} goes to the checked address (the caller's address is only compared). */
    @Override
    public Socket createSocket() {
        return new PinnedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(InetSocketAddress.createUnresolved(host, port), connectTimeoutMillis);
        return createSocket(socket, host, port, true);
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        if (!host.equalsIgnoreCase(this.host) || port != this.port) {
            throw new SocketException("this connection is only for the checked host");
        }
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, autoClose);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        try {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        } catch (IllegalArgumentException ipLiteral) {
            // an IP address is not sent as a server name; the certificate is still checked against it
        }
        ssl.setSSLParameters(parameters);
        return ssl;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new SocketException("a pinned connection does not choose a local address");
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        throw new SocketException("a pinned connection is made by host name");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw new SocketException("a pinned connection is made by host name");
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    /** A plain socket that connects to the checked address when asked to connect to the checked host and port. */
    private final class PinnedSocket extends Socket {

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress asked) || !asked.getHostString().equalsIgnoreCase(host) || asked.getPort() != port) {
                throw new SocketException("this connection is only for the checked host");
            }
            super.connect(new InetSocketAddress(address, port), timeout);
        }
    }
}
