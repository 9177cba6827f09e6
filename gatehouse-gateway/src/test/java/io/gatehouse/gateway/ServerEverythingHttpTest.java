package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ServerEverything;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** server-everything as a Streamable HTTP upstream, started once on 127.0.0.1 and an ephemeral port. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
@Tag("T-12")
@Tag("T-09")
class ServerEverythingHttpTest extends ServerEverythingContract {

    static ServerEverything.HttpProcess server;
    static Upstream upstream;
    static UpstreamSession session;

    @BeforeAll
    static void start() throws Exception {
        server = TestUpstreams.startServerEverythingHttp();
        upstream = Upstream.of(UpstreamConfig.http("everything", URI.create("http://127.0.0.1:" + server.port() + "/mcp")));
        session = upstream.openSession(samplingCapability(), SAMPLING_CLIENT);
    }

    @AfterAll
    static void stop() {
        upstream.close();
        server.close();
    }

    @Override
    UpstreamSession session() {
        return session;
    }

    @Test
    void each_session_is_its_own_upstream_session_and_health_counts_them() throws Exception {
        try (UpstreamSession other = upstream.openSession(samplingCapability(), SAMPLING_CLIENT)) {
            other.initialize().get(30, TimeUnit.SECONDS);
            session.initialize().get(30, TimeUnit.SECONDS);

            assertThat(upstream.health().state()).isEqualTo(UpstreamHealth.State.UP);
            assertThat(upstream.health().openSessions()).isEqualTo(2);
        }
        assertThat(upstream.health().openSessions()).isEqualTo(1);
    }
}
