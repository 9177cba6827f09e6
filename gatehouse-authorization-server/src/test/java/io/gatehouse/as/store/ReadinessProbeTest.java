package io.gatehouse.as.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.MutableClock;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A flood of readiness checks (the public {@code GET /health}) costs the store at most one probe at a time and one
 * a second, and a probe that only waited in vain for a busy pool does not mark the store down for everyone.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("SEC19-9")
class ReadinessProbeTest {

    static final Duration BOUND = Duration.ofSeconds(30);
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void many_concurrent_readiness_checks_cause_one_probe_at_a_time_and_at_most_one_a_second() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        CountDownLatch probeStarted = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        ReadinessProbe readiness = new ReadinessProbe(() -> {
            probes.incrementAndGet();
            probeStarted.countDown();
            try {
                return answer.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, clock);

        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> first = callers.submit(readiness::getAsBoolean);
            assertThat(probeStarted.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            List<Future<Boolean>> others = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                others.add(callers.submit(readiness::getAsBoolean));
            }
            for (Future<Boolean> other : others) {
                assertThat(other.get(BOUND.toSeconds(), TimeUnit.SECONDS)).as("not ready until the first probe answered").isFalse();
            }
            answer.countDown();
            assertThat(first.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(probes).hasValue(1);

        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> flood = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                flood.add(callers.submit(readiness::getAsBoolean));
            }
            for (Future<Boolean> check : flood) {
                assertThat(check.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(probes).as("within the second, the last result").hasValue(1);

        clock.advance(ReadinessProbe.INTERVAL);
        assertThat(readiness.getAsBoolean()).isTrue();
        assertThat(readiness.getAsBoolean()).isTrue();
        assertThat(probes).as("one more a second later").hasValue(2);
    }

    /** A data source that answers from an in-memory H2 database, or fails as {@link #failure} says. */
    static final class SwitchableDataSource implements DataSource {
        final AtomicReference<SQLException> failure = new AtomicReference<>();
        final JdbcDataSource h2 = new JdbcDataSource();

        SwitchableDataSource() {
            h2.setURL("jdbc:h2:mem:readiness-" + System.nanoTime());
        }

        @Override
        public Connection getConnection() throws SQLException {
            SQLException f = failure.get();
            if (f != null) {
                throw f;
            }
            return h2.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void a_probe_that_timed_out_waiting_for_a_busy_pool_does_not_mark_the_store_down_for_other_callers() {
        SwitchableDataSource dataSource = new SwitchableDataSource();
        Jdbc jdbc = new Jdbc(dataSource, clock);
        // HikariCP's timeout while every connection is busy and none failed: no cause
        dataSource.failure.set(new SQLTransientConnectionException("gatehouse-as - Connection is not available, request timed out after 3000ms"));

        assertThat(jdbc.isReachable()).isFalse();

        dataSource.failure.set(null);
        assertThat(jdbc.isReachable()).as("at the same instant, for the next caller").isTrue();
        assertThat(jdbc.one("SELECT 2", rs -> rs.getInt(1))).contains(2);
    }

    @Test
    void a_real_connection_failure_is_still_remembered_for_a_moment() {
        SwitchableDataSource dataSource = new SwitchableDataSource();
        Jdbc jdbc = new Jdbc(dataSource, clock);
        SQLException refused = new SQLException("Connection refused", "08001", new ConnectException("refused"));
        dataSource.failure.set(new SQLTransientConnectionException("gatehouse-as - Connection is not available", refused));

        assertThat(jdbc.isReachable()).isFalse();

        dataSource.failure.set(null);
        assertThat(jdbc.isReachable()).as("remembered").isFalse();
        clock.advance(Jdbc.REMEMBER_FAILURE);
        assertThat(jdbc.isReachable()).isTrue();
    }
}
