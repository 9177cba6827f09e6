package io.gatehouse.as.store;

import io.gatehouse.as.authorize.LoginAttempts;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The login throttle's counters in {@code gh_login_attempts}, one row per key with the start of its window and the
 * attempts reserved in it. Every change is one conditional statement the database makes atomic, so nodes
 * reserving at the same moment never admit more than the limit between them: an increment only below the limit
 * within the window, a restart only of a window that ended, and a first insert that only one caller can win
 * ({@link Jdbc#insertIfAbsent}). The table is capped ({@link StoreBounds#loginKeys()}), the oldest windows first.
 */
final class JdbcLoginAttempts implements LoginAttempts {

    private final Jdbc jdbc;
    private final RowCap cap;

    JdbcLoginAttempts(Jdbc jdbc, StoreBounds bounds) {
        this.jdbc = jdbc;
        this.cap = new RowCap(jdbc, "gh_login_attempts", "window_start", "key_hash", bounds.loginKeys(), bounds.checkEvery());
    }

    @Override
    public boolean tryReserve(String key, int limit, Instant now, Duration window) {
        if (limit <= 0) {
            return false;
        }
        long at = now.toEpochMilli();
        long endedBefore = at - window.toMillis();
        // a caller that loses a race of the second or third step to another looks again: at most twice
        for (int attempt = 0; attempt < 3; attempt++) {
            if (jdbc.update("UPDATE gh_login_attempts SET attempts = attempts + 1 WHERE key_hash = ? AND window_start > ? "
                    + "AND attempts < ?", key, endedBefore, limit) == 1) {
                return true;
            }
            if (jdbc.update("UPDATE gh_login_attempts SET attempts = 1, window_start = ? WHERE key_hash = ? AND window_start <= ?",
                    at, key, endedBefore) == 1) {
                return true;
            }
            if (jdbc.insertIfAbsent("INSERT INTO gh_login_attempts (key_hash, window_start, attempts) VALUES (?, ?, 1)", key, at)) {
                cap.inserted();
                return true;
            }
            Optional<Integer> reserved = jdbc.one("SELECT attempts FROM gh_login_attempts WHERE key_hash = ? AND window_start > ?",
                    rs -> rs.getInt(1), key, endedBefore);
            if (reserved.isPresent() && reserved.get() >= limit) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void release(String key) {
        jdbc.update("UPDATE gh_login_attempts SET attempts = attempts - 1 WHERE key_hash = ? AND attempts > 0", key);
    }

    @Override
    public void forget(String key) {
        jdbc.update("DELETE FROM gh_login_attempts WHERE key_hash = ?", key);
    }

    @Override
    public void deleteExpired(Instant now, Duration window) {
        jdbc.update("DELETE FROM gh_login_attempts WHERE window_start <= ?", now.minus(window).toEpochMilli());
        cap.enforce();
    }

    @Override
    public long tracked() {
        return jdbc.one("SELECT COUNT(*) FROM gh_login_attempts", rs -> rs.getLong(1)).orElse(0L);
    }
}
