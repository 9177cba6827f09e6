package io.gatehouse.as.store;

import io.gatehouse.as.authorize.BrowserStateStore;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions and pending authorizations in the database ({@code gh_browser_sessions},
 * {@code gh_pending_authorizations}), so a browser may continue on any node. Rows are keyed by the SHA-256 hash of
 * the id; a pending authorization is taken out by a {@code DELETE} only one caller can win. Both tables are capped
 * ({@link StoreBounds}), the oldest (soonest to expire) rows going first.
 */
final class JdbcBrowserStateStore implements BrowserStateStore {

    private final Jdbc jdbc;
    private final RowCap pendingCap;
    private final RowCap sessionCap;

    JdbcBrowserStateStore(Jdbc jdbc, StoreBounds bounds) {
        this.jdbc = jdbc;
        this.pendingCap = new RowCap(jdbc, "gh_pending_authorizations", "expires_at", "id_hash", bounds.pendingRows(), bounds.checkEvery());
        this.sessionCap = new RowCap(jdbc, "gh_browser_sessions", "expires_at", "id_hash", bounds.sessions(), bounds.checkEvery());
    }

    @Override
    public void putSession(String idHash, String username, Instant expiresAt) {
        jdbc.update("INSERT INTO gh_browser_sessions (id_hash, username, expires_at) VALUES (?, ?, ?)", idHash, username,
                expiresAt.toEpochMilli());
        sessionCap.inserted();
    }

    @Override
    public Optional<StoredSession> session(String idHash) {
        return jdbc.one("SELECT username, expires_at FROM gh_browser_sessions WHERE id_hash = ?",
                rs -> new StoredSession(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))), idHash);
    }

    @Override
    public void deleteSession(String idHash) {
        jdbc.update("DELETE FROM gh_browser_sessions WHERE id_hash = ?", idHash);
    }

    @Override
    public void putPending(String idHash, String payload, Instant expiresAt) {
        jdbc.upsert("UPDATE gh_pending_authorizations SET payload = ?, expires_at = ? WHERE id_hash = ?",
                "INSERT INTO gh_pending_authorizations (payload, expires_at, id_hash) VALUES (?, ?, ?)",
                payload, expiresAt.toEpochMilli(), idHash);
        pendingCap.inserted();
    }

    @Override
    public Optional<String> pending(String idHash) {
        return jdbc.one("SELECT payload FROM gh_pending_authorizations WHERE id_hash = ?", rs -> rs.getString(1), idHash);
    }

    @Override
    public boolean takePending(String idHash) {
        return jdbc.update("DELETE FROM gh_pending_authorizations WHERE id_hash = ?", idHash) == 1;
    }

    @Override
    public void deleteExpired(Instant now) {
        jdbc.update("DELETE FROM gh_pending_authorizations WHERE expires_at <= ?", now.toEpochMilli());
        jdbc.update("DELETE FROM gh_browser_sessions WHERE expires_at <= ?", now.toEpochMilli());
        pendingCap.enforce();
        sessionCap.enforce();
    }

    @Override
    public Held held() {
        record Pending(long count, long chars) {
        }
        Pending pending = jdbc.one("SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0) FROM gh_pending_authorizations",
                rs -> new Pending(rs.getLong(1), rs.getLong(2))).orElse(new Pending(0, 0));
        long sessions = jdbc.one("SELECT COUNT(*) FROM gh_browser_sessions", rs -> rs.getLong(1)).orElse(0L);
        return new Held(pending.count(), 2 * pending.chars(), sessions);
    }
}
