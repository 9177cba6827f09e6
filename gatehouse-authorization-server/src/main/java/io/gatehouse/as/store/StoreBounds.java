package io.gatehouse.as.store;

/**
 * How much the browser-facing stores may hold, since anyone can make them hold something: pending authorizations
 * (one unauthenticated GET each), login throttle keys (any username, any address) and, behind a password,
 * sessions. In memory pending authorizations are bounded by weight, in a database by rows (each row's strings are
 * bounded by {@code ParameterLimits}: at most about 9,000 characters, usually under 1,000); the oldest go first.
 * A database table is trimmed every {@code checkEvery} inserts of a node and at every maintenance run, so it may
 * briefly hold {@code checkEvery} rows per node over its cap.
 *
 * @param pendingBytes in memory: what all pending authorizations together may weigh (two bytes a character)
 * @param pendingRows  in a database: how many pending authorizations are kept
 * @param sessions     how many signed-in browser sessions are kept
 * @param loginKeys    how many usernames and addresses the login throttle tracks
 * @param checkEvery   a database table is trimmed after this many inserts by one node
 */
record StoreBounds(long pendingBytes, int pendingRows, int sessions, int loginKeys, int checkEvery) {

    /** 32 MiB or 8,000 pending authorizations, 50,000 sessions, 100,000 throttle keys. */
    static final StoreBounds DEFAULT = new StoreBounds(32L << 20, 8_000, 50_000, 100_000, 32);
}
