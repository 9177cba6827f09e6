package io.gatehouse.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;

/** server-everything as a stdio upstream: one child for the class's session. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
class ServerEverythingStdioTest extends ServerEverythingContract {

    static Upstream upstream;
    static UpstreamSession session;

    @BeforeAll
    static void start() {
        upstream = Upstream.of(UpstreamConfig.stdio("everything", java.util.List.of(TestUpstreams.node().toString(),
                TestUpstreams.serverEverything().toString(), "stdio")));
        session = upstream.openSession(samplingCapability(), SAMPLING_CLIENT);
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Override
    UpstreamSession session() {
        return session;
    }
}
