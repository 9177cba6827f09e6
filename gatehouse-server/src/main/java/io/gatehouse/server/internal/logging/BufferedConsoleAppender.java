package io.gatehouse.server.internal.logging;

import ch.qos.logback.core.ConsoleAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A console appender for high-volume lines (the audit log): each line is copied into a buffer on the logging
 * thread and the buffer is written out when full, every {@code flushMillis} (200 by default) and when logging
 * stops. A line therefore costs a memory copy instead of a {@code write(2)}, and no thread hand-off: logback's
 * {@code AsyncAppender} wakes its worker for nearly every line, which on the benchmark machine cost about 20 µs
 * of CPU per request, against about 1 µs here. A line reaches the console at most {@code flushMillis} late;
 * on a crash that kills the JVM outright, at most that much is lost.
 */
public final class BufferedConsoleAppender<E> extends ConsoleAppender<E> {

    private int bufferSize = 64 * 1024;
    private long flushMillis = 200;
    private ScheduledExecutorService flusher;

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public void setFlushMillis(long flushMillis) {
        this.flushMillis = flushMillis;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        super.setOutputStream(new BufferedOutputStream(out, bufferSize));
    }

    @Override
    public void start() {
        setImmediateFlush(false);
        super.start();
        if (isStarted()) {
            flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("log-flush").factory());
            flusher.scheduleWithFixedDelay(this::flush, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
            flusher = null;
        }
        flush();
        super.stop();
    }

    /** Writes out what is buffered. */
    public void flush() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            addError("cannot flush the console", e);
        } finally {
            streamWriteLock.unlock();
        }
    }
}
