package io.gatehouse.as.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small helpers over plain JDBC: parameters bound in order, one connection per call, SQL errors unchecked. */
final class Jdbc {

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("database update failed: " + e.getMessage(), e);
        }
    }

    <T> List<T> query(String sql, Row<T> row, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
             ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("database query failed: " + e.getMessage(), e);
        }
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> all = query(sql, row, params);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Runs statements in one transaction. */
    void transaction(List<String> sql, List<Object[]> params) {
        try (Connection c = dataSource.getConnection()) {
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
        } catch (SQLException e) {
            throw new IllegalStateException("database transaction failed: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
