package io.gatehouse.server.internal;

import ch.qos.logback.classic.LoggerContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Serves until the JVM is asked to stop (Ctrl+C, SIGTERM), then stops the server gracefully and writes the last log
 * lines (the buffered audit log included) before the JVM exits. Used by {@code gatehouse serve} and
 * {@code GatehouseServer.run()}.
 */
public final class GracefulShutdown {

    private GracefulShutdown() {
    }

    /**
     * Returns once {@code gatehouse} has stopped: after the shutdown hook closed it through {@code stop}, or when it
     * was closed some other way. {@code errors} receives a failure to stop.
     */
    public static void runUntilStopped(Gatehouse gatehouse, AutoCloseable stop, Consumer<String> errors)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            try {
                stop.close();
            } catch (Exception e) {
                errors.accept("Error while stopping: " + e.getMessage());
            } finally {
                if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
                    logging.stop();
                }
                stopped.countDown();
            }
        }, "gatehouse-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        gatehouse.join();
        if (!stopping.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                return;
            } catch (IllegalStateException shutdownInProgress) {
                // the JVM is stopping: the hook closes the server; wait for it
            }
        }
        stopped.await();
    }
}
