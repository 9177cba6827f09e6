package io.gatehouse.as.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a table at most {@code max} rows by deleting the oldest (smallest {@code orderColumn}, ties broken by the
 * key column), checked after every {@code checkEvery} inserts of this node and whenever asked. One indexed query
 * finds the oldest row to keep; portable between H2 and PostgreSQL. Table and column names are constants of the
 * callers, never input.
 */
final class RowCap {

    private final Jdbc jdbc;
    private final String table;
    private final String orderColumn;
    private final String keyColumn;
    private final int max;
    private final int checkEvery;
    private final AtomicLong inserts = new AtomicLong();

    RowCap(Jdbc jdbc, String table, String orderColumn, String keyColumn, int max, int checkEvery) {
        this.jdbc = jdbc;
        this.table = table;
        this.orderColumn = orderColumn;
        this.keyColumn = keyColumn;
        this.max = max;
        this.checkEvery = checkEvery;
    }

    void inserted() {
        if (inserts.incrementAndGet() % checkEvery == 0) {
            enforce();
        }
    }

    /** Deletes every row older than the {@code max}-th newest. */
    void enforce() {
        record Row(long order, String key) {
        }
        jdbc.one("SELECT " + orderColumn + ", " + keyColumn + " FROM " + table + " ORDER BY " + orderColumn + " DESC, "
                        + keyColumn + " DESC LIMIT 1 OFFSET ?", rs -> new Row(rs.getLong(1), rs.getString(2)), max)
                .ifPresent(oldestDropped -> jdbc.update("DELETE FROM " + table + " WHERE " + orderColumn + " < ? OR ("
                        + orderColumn + " = ? AND " + keyColumn + " <= ?)", oldestDropped.order(), oldestDropped.order(),
                        oldestDropped.key()));
    }
}
