package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamException;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.log.LogText;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One upstream session over stdio: its own child process speaking newline-delimited JSON-RPC on stdin/stdout
 * (MCP 2025-11-25 "stdio" transport). Three virtual threads per child: one writes queued messages to stdin, one reads
 * stdout (messages are delivered in order), one sends stderr to the log. A line longer than max-message-bytes ends
 * the session (the child is stopped) without being buffered. A child that exits ends the session and counts as a
 * failure for the upstream's restart backoff. A request the child sends (sampling, elicitation, roots) while exactly
 * one request of the client's is open is taken to be about that one (stdio cannot say), so it goes to the client on
 * that request's stream, as an HTTP upstream's would; otherwise to the client session's standalone stream.
 */
final class StdioConnection extends Connection {

    private static final Logger LOG = LoggerFactory.getLogger(StdioConnection.class);
    private static final byte[] STOP = new byte[0];
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Map<String, String> environment;
    private final StderrLog stderr;
    private final Consumer<StdioConnection> onClosed;
    private Child child;

    StdioConnection(UpstreamConfig config, HealthTracker health, ObjectNode clientCapabilities, UpstreamListener listener,
                    Map<String, String> environment, StderrLog stderr, Consumer<StdioConnection> onClosed) {
        super(config, health, clientCapabilities, listener);
        this.environment = environment;
        this.stderr = stderr;
        this.onClosed = onClosed;
    }

    /** A running child and what belongs to it. */
    private record Child(Process process, BlockingQueue<byte[]> outbox, java.util.concurrent.atomic.AtomicLong backlog) {
    }

    @Override
    void open() {
        if (!health.tryOpenSession(config.maxSessions())) {
            throw UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '" + config.name()
                    + "' already runs " + config.maxSessions() + " sessions (max-sessions)");
        }
        try {
            waitForBackoff();
            health.starting();
            ProcessBuilder builder = new ProcessBuilder(config.command());
            builder.environment().clear();
            builder.environment().putAll(environment);
            config.cwd().ifPresent(dir -> builder.directory(dir.toFile()));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "cannot start upstream '" + config.name()
                        + "': " + LogText.neutralise(e.getMessage()));
            }
            Child started = new Child(process, new LinkedBlockingQueue<>(), new java.util.concurrent.atomic.AtomicLong());
            synchronized (this) {
                child = started;
            }
            String prefix = "upstream-" + config.name() + "-" + process.pid();
            Thread.ofVirtual().name(prefix + "-stdin").start(() -> write(started));
            Thread.ofVirtual().name(prefix + "-stdout").start(() -> read(started));
            Thread.ofVirtual().name(prefix + "-stderr").start(() -> logStderr(started));
        } catch (UpstreamException e) {
            health.sessionClosed();
            throw e;
        }
    }

    private void waitForBackoff() {
        Duration wait = health.backoffRemaining();
        if (wait.isZero()) {
            return;
        }
        if (wait.compareTo(config.timeout()) >= 0) {
            throw UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '" + config.name()
                    + "' is restarting after a failure; next start in " + wait.toMillis() + " ms");
        }
        health.starting();
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '" + config.name() + "' start interrupted");
        }
    }

    @Override
    void transmit(JsonRpcMessage message, Pending request) {
        Child current;
        synchronized (this) {
            current = child;
        }
        if (current != null) {
            byte[] line = JsonRpcCodec.write(message);
            // a child that stopped reading stdin (stuck, or hostile) must not make Gatehouse hold every later request;
            // one message always fits, however large, so a child that reads is never refused one
            long backlog = current.backlog.addAndGet(line.length);
            if (backlog > 2L * config.maxMessageBytes() && backlog != line.length) {
                current.backlog.addAndGet(-line.length);
                UpstreamException refused = UpstreamException.of(UpstreamException.Kind.UNAVAILABLE, "upstream '"
                        + config.name() + "' is not reading its input; request refused");
                if (request != null) {
                    request.fail(refused);
                } else {
                    LOG.debug("{}", refused.getMessage());
                }
                return;
            }
            current.outbox.add(line);
        }
    }

    private void write(Child c) {
        try (OutputStream stdin = c.process.getOutputStream()) {
            while (true) {
                byte[] line = c.outbox.take();
                if (line == STOP) {
                    return;
                }
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
                c.backlog.addAndGet(-line.length);
            }
        } catch (IOException e) {
            // the child closed its stdin or exited; the stdout reader reports the end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read(Child c) {
        BoundedLineReader lines = new BoundedLineReader(new BufferedInputStream(c.process.getInputStream()),
                config.maxMessageBytes());
        try {
            byte[] line;
            while ((line = lines.readLine()) != null) {
                if (line == BoundedLineReader.OVERSIZED) {
                    lost(c, UpstreamException.of(UpstreamException.Kind.OVERSIZED, "upstream '" + config.name()
                            + "' sent a message larger than " + config.maxMessageBytes() + " bytes; its session is ended"));
                    return;
                }
                if (line.length == 0) {
                    continue;
                }
                try {
                    JsonRpcMessage message = JsonRpcCodec.parse(line);
                    // stdio does not say which request a server request is about: while only one is open, that one
                    receive(message, message instanceof JsonRpcMessage.Request ? soleOpenRequest() : null);
                } catch (JsonRpcException e) {
                    LOG.warn("upstream {} wrote a line that is not a JSON-RPC message on stdout; ignored", config.name());
                }
            }
        } catch (IOException e) {
            // the pipe broke: the child is gone
        }
        exited(c);
    }

    private void exited(Child c) {
        String how;
        try {
            how = c.process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    ? "exited with code " + c.process.exitValue() : "closed its stdout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            how = "closed its stdout";
        }
        lost(c, UpstreamException.of(UpstreamException.Kind.SESSION_ENDED, "upstream '" + config.name() + "' " + how));
    }

    private void lost(Child c, UpstreamException cause) {
        synchronized (this) {
            if (child != c) {
                return;
            }
        }
        LOG.warn("{}", cause.getMessage());
        if (handshakeDone()) {
            health.failure(cause.getMessage());
            end(cause, true);
        } else {
            // the handshake's own failure path records it and stops the child
            failPending(cause);
        }
    }

    private void logStderr(Child c) {
        BoundedLineReader lines = new BoundedLineReader(c.process.getErrorStream(), StderrLog.MAX_CHARS * 4);
        try {
            byte[] line;
            while ((line = lines.readLine()) != null) {
                stderr.line(line == BoundedLineReader.OVERSIZED ? "[an overlong line was dropped]"
                        : new String(line, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    @Override
    void shutdown(boolean graceful) {
        if (ended()) {
            onClosed.accept(this);
        }
        Child c;
        synchronized (this) {
            c = child;
            child = null;
        }
        if (c == null) {
            return;
        }
        health.sessionClosed();
        c.outbox.add(STOP);
        Thread.ofVirtual().name("upstream-" + config.name() + "-stop").start(() -> stop(c.process));
    }

    private static void stop(Process process) {
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
