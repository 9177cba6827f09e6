package io.gatehouse.gateway.internal;

import io.gatehouse.mcp.internal.log.LogText;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a stdio upstream's stderr lines to Gatehouse's log, named after the upstream, neutralised (no forged log
 * lines, no terminal escapes), cut to 1,000 characters, and rate-limited per upstream (a burst of 100 lines, then
 * 20 a second; the number of suppressed lines is logged when logging resumes). Thread-safe.
 */
final class StderrLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.gatehouse.gateway.upstream");
    static final int MAX_CHARS = 1000;
    private static final double BURST = 100;
    private static final double PER_SECOND = 20;

    private final String upstream;
    private final Clock clock;
    private double tokens = BURST;
    private long lastRefillMillis;
    private long suppressed;

    StderrLog(String upstream, Clock clock) {
        this.upstream = upstream;
        this.clock = clock;
        this.lastRefillMillis = clock.millis();
    }

    void line(String text) {
        long dropped;
        synchronized (this) {
            long now = clock.millis();
            tokens = Math.min(BURST, tokens + (now - lastRefillMillis) * PER_SECOND / 1000.0);
            lastRefillMillis = now;
            if (tokens < 1) {
                suppressed++;
                return;
            }
            tokens--;
            dropped = suppressed;
            suppressed = 0;
        }
        if (dropped > 0) {
            LOG.warn("upstream {} stderr: {} lines suppressed (rate limit)", upstream, dropped);
        }
        String cut = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "…" : text;
        LOG.info("upstream {} stderr: {}", upstream, LogText.neutralise(cut));
    }
}
