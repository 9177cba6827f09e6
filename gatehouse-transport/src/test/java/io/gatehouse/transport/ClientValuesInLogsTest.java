package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A library server may log through its application's own logging configuration, without Gatehouse's escaping
 * layout: the values a client chooses (its name, the message of an error it reports) are neutralised where they are
 * logged, so they cannot end the line and forge another.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class ClientValuesInLogsTest {

    static final String FORGED = "evil\r\n12:00:00.000 INFO  audit - allowed sub=admin\u2028";
    static TestServer server;
    static final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    static final Logger endpoint = (Logger) LoggerFactory.getLogger(StreamableHttpEndpoint.class);

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        captured.start();
        endpoint.addAppender(captured);
    }

    @AfterAll
    static void stop() throws Exception {
        endpoint.detachAppender(captured);
        server.close();
    }

    private static List<String> lines() {
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void a_client_name_with_line_breaks_is_logged_on_one_line() {
        var reply = server.client().call("initialize", Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                "clientInfo", Map.of("name", FORGED, "version", "1")));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(lines()).anySatisfy(line -> assertThat(line).startsWith("New MCP session").contains("evil"))
                .noneSatisfy(line -> assertThat(line).containsAnyOf("\r", "\n", "\u2028"));
    }

    @Test
    void an_error_the_client_reports_is_logged_on_one_line() {
        var client = server.client().initialize();
        var reply = client.post("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-1,\"message\":"
                + "\"bad\\r\\nforged line\"}}");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(lines()).anySatisfy(line -> assertThat(line).contains("could not tie", "bad\\r\\nforged line"))
                .noneSatisfy(line -> assertThat(line).containsAnyOf("\r", "\n", "\u2028"));
    }
}
