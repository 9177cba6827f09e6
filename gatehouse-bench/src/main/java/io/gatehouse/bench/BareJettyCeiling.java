package io.gatehouse.bench;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceiling for the {@code tools/call echo} load benchmark ({@code bench/echo-load.sh}): a bare Jetty 12
 * core handler that does the least Gatehouse must do per request — read the POST body fully (into an array of its
 * declared length, as Gatehouse does), then answer
 * 200 {@code application/json} with fixed bytes (the real echo response, captured from Gatehouse). Jetty is
 * set up exactly as in {@code GatehouseHttpServer} (virtual-thread executor, loopback connector, same
 * {@link HttpConfiguration} and limits), so the ratio Gatehouse/ceiling measures Gatehouse's own cost.
 *
 * <p>Usage: {@code java -jar gatehouse-bench.jar PORT RESPONSE_FILE}. Not a test; never used by Gatehouse.
 */
public final class BareJettyCeiling extends Handler.Abstract {

    /** Same values as {@code TransportConfig.defaults()}. */
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final byte[] responseBody;

    private BareJettyCeiling(byte[] responseBody) {
        this.responseBody = responseBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        try (InputStream in = Content.Source.asInputStream(request)) {
            long declared = request.getLength();
            in.readNBytes(declared >= 0 && declared <= MAX_REQUEST_BYTES ? (int) declared : MAX_REQUEST_BYTES + 1);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(responseBody), callback);
        return true;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BareJettyCeiling PORT RESPONSE_FILE");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("ceiling");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setHeaderCacheSize(256);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        jetty.addConnector(connector);
        jetty.setStopTimeout(5_000);
        jetty.setHandler(new BareJettyCeiling(body));
        jetty.start();
        System.out.println("Bare Jetty ceiling listening on http://127.0.0.1:" + connector.getLocalPort()
                + "/ (" + body.length + " response bytes)");
        jetty.join();
    }
}
