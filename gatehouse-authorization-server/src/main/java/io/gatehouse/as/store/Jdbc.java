package io.gatehouse.as.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Small helpers over plain JDBC: parameters bound in order, one connection per call, SQL errors unchecked.
 *
 * <p>A database that cannot be reached (no connection, connection lost, server shutting down, timeouts) is a
 * {@link StoreUnavailableException}, which the HTTP side answers with 503 and {@code Retry-After}; any other SQL
 * error stays an {@link IllegalStateException} (the server's own fault). After a failure of the first kind,
 * calls fail at once for {@link #REMEMBER_FAILURE} instead of each waiting for the pool's connection timeout. Only a
 * real connection failure is remembered: a wait for a pool connection that timed out while the database answers
 * (every connection busy) fails that one call, not every call for the next two seconds.
 */
final class Jdbc {

    /** How long an unreachable database is assumed to stay unreachable before it is tried again. */
    static final Duration REMEMBER_FAILURE = Duration.ofSeconds(2);
    /** SQLSTATE of a unique (primary key) violation, the same in PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Clock clock;
    private volatile Instant unreachableUntil = Instant.MIN;

    Jdbc(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    int update(String sql, Object... params) {
        return run("update", c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Inserts a row unless one with the same key exists, also when another node or thread inserts it at the same
     * moment: returns false instead of failing on the unique violation. Portable between PostgreSQL and H2 (which
     * share no upsert syntax), and safe in autocommit mode, where the failed statement aborts nothing else.
     */
    boolean insertIfAbsent(String insertSql, Object... params) {
        return run("insert", c -> {
            try (PreparedStatement ps = prepare(c, insertSql, params)) {
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * Updates a row, or inserts it when there is none; {@code updateSql} and {@code insertSql} take the same
     * parameters in the same order. A concurrent insert of the same key makes the insert fail, and the update
     * then runs again instead: both writers succeed, the later one wins.
     */
    void upsert(String updateSql, String insertSql, Object... params) {
        if (update(updateSql, params) == 0 && !insertIfAbsent(insertSql, params)) {
            update(updateSql, params);
        }
    }

    <T> List<T> query(String sql, Row<T> row, Object... params) {
        return run("query", c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.read(rs));
                }
                return out;
            }
        });
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> all = query(sql, row, params);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Runs statements in one transaction. */
    void transaction(List<String> sql, List<Object[]> params) {
        run("transaction", c -> {
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < sql.size(); i++) {
                    try (PreparedStatement ps = prepare(c, sql.get(i), params.get(i))) {
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    /**
     * Runs {@code work} while this connection holds the row of {@code gh_locks} named {@code lock} ({@code SELECT ...
     * FOR UPDATE} in a transaction, the same on H2 and PostgreSQL): whoever else asks for the same lock, on any node,
     * waits until {@code work} has returned (or thrown) and the transaction has ended. A node that dies holding it
     * releases it with its connection. {@code work} uses the pool's other connections as usual.
     */
    <T> T locked(String lock, java.util.function.Supplier<T> work) {
        return run("lock", c -> {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = prepare(c, "SELECT lock_name FROM gh_locks WHERE lock_name = ? FOR UPDATE", lock);
                     ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no lock named " + lock + " in gh_locks");
                    }
                }
                T result = work.get();
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /** Whether the database answers now (readiness); never throws. */
    boolean isReachable() {
        try {
            return one("SELECT 1", rs -> rs.getInt(1)).isPresent();
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    private <T> T run(String what, Work<T> work) {
        if (clock.instant().isBefore(unreachableUntil)) {
            throw new StoreUnavailableException("the database was unreachable moments ago", null);
        }
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            if (isUnreachable(e)) {
                if (!isPoolBusy(e)) {
                    unreachableUntil = clock.instant().plus(REMEMBER_FAILURE);
                }
                throw new StoreUnavailableException("database " + what + " failed: " + e.getMessage(), e);
            }
            throw new IllegalStateException("database " + what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a failure is only the pool's wait for a free connection timing out while no connection failed:
     * HikariCP's timeout then carries no cause (after a failed connection attempt it carries that failure).
     */
    static boolean isPoolBusy(SQLException failure) {
        return failure instanceof SQLTransientConnectionException && failure.getCause() == null;
    }

    /**
     * Whether a failure means the database cannot be reached, rather than that a statement is wrong: the JDBC
     * connection exception types (HikariCP's pool timeout is one), or SQLSTATE class 08 (connection exception),
     * 53 (insufficient resources) or 57P (PostgreSQL's shutdown and "cannot connect now"). A deadlock or a
     * serialization failure is not: it says nothing about the next statement.
     */
    static boolean isUnreachable(SQLException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
