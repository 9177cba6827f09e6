package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.UpstreamConfigException;
import io.gatehouse.gateway.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GET stream of one Streamable HTTP upstream session (2025-11-25 transports): where the upstream sends
 * notifications and requests unrelated to any client request. Reopened while the session lasts (with
 * {@code Last-Event-ID} when the upstream gave event ids), pausing 1 s doubling to 30 s between attempts; a 405 means
 * the upstream offers none, a 404 that it forgot the session. One virtual thread.
 */
final class GetStream {

    private static final Logger LOG = LoggerFactory.getLogger(GetStream.class);

    /** What the stream needs of its session. */
    interface Session {

        /** A request to the MCP endpoint with the session's headers. */
        HttpRequest.Builder request();

        /** Reads and dispatches events until the stream ends; returns the last event id, or null. */
        String readEvents(InputStream in) throws IOException;

        boolean ended();

        /** The upstream answered 404: the session is gone. */
        void forgotten();
    }

    private final String upstream;
    private final HttpClient client;
    private final Session session;
    private volatile InputStream current;

    GetStream(String upstream, HttpClient client, Session session) {
        this.upstream = upstream;
        this.client = client;
        this.session = session;
    }

    /** Starts the stream and waits up to {@code wait} for the upstream's first answer, so nothing sent just after is lost. */
    void open(Duration wait) {
        CountDownLatch answered = new CountDownLatch(1);
        Thread.ofVirtual().name("upstream-" + upstream + "-get").start(() -> listen(answered));
        try {
            answered.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing an aborted stream
            }
        }
    }

    private void listen(CountDownLatch answered) {
        Duration pause = Duration.ofSeconds(1);
        String lastEventId = null;
        while (!session.ended()) {
            try {
                HttpRequest.Builder get = session.request().GET().header("Accept", "text/event-stream");
                if (lastEventId != null) {
                    get.header("Last-Event-ID", lastEventId);
                }
                HttpResponse<InputStream> response = client.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
                answered.countDown();
                try (InputStream in = response.body()) {
                    current = in;
                    if (session.ended() || response.statusCode() == 405) {
                        return;
                    }
                    if (response.statusCode() == 404) {
                        session.forgotten();
                        return;
                    }
                    if (response.statusCode() == 200) {
                        String last = session.readEvents(in);
                        lastEventId = last != null ? last : lastEventId;
                        pause = Duration.ofSeconds(1);
                    }
                }
            } catch (IOException | UpstreamConfigException | UpstreamException e) {
                answered.countDown();
                LOG.debug("upstream {}: GET stream failed: {}", upstream, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!sleep(pause)) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(HealthTracker.MAX_BACKOFF) > 0 ? HealthTracker.MAX_BACKOFF : pause.multipliedBy(2);
        }
    }

    private boolean sleep(Duration pause) {
        if (session.ended()) {
            return false;
        }
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
