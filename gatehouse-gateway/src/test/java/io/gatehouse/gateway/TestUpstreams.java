package io.gatehouse.gateway;

import io.gatehouse.testkit.NodeTools;
import io.gatehouse.testkit.ServerEverything;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The real upstream servers the tests use, installed from npm on first use (server-everything: see the testkit's {@link ServerEverything}). */
public final class TestUpstreams {

    private TestUpstreams() {
    }

    public static Path node() {
        return NodeTools.node22();
    }

    /** server-everything's entry script ({@code dist/index.js}; its argument picks stdio or streamableHttp). */
    public static Path serverEverything() {
        return ServerEverything.entryScript();
    }

    public static Path resource(String name) {
        try {
            return Path.of(TestUpstreams.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts server-everything in Streamable HTTP mode on 127.0.0.1 and an ephemeral port. */
    public static ServerEverything.HttpProcess startServerEverythingHttp() throws Exception {
        return ServerEverything.startHttp();
    }
}
