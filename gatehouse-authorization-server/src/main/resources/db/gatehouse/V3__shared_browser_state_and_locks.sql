-- Issue 14: what the login and consent pages keep between requests, the login throttle, a lock for the signing
-- keys' rotation and shared secrets move to the database, so any node can serve any request. Portable between H2
-- and PostgreSQL, like V1: instants are epoch milliseconds; ids and keys are stored only as SHA-256 hashes.

-- Signed-in browsers, by the hash of the session cookie's value.
CREATE TABLE gh_browser_sessions (
    id_hash    VARCHAR(64)  PRIMARY KEY,
    username   VARCHAR(200) NOT NULL,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX gh_browser_sessions_expiry ON gh_browser_sessions (expires_at);

-- Validated authorization requests waiting for login or consent, by the hash of their id; the payload is JSON
-- whose strings ParameterLimits bounds (at most about 9,000 characters). The table is capped by the server.
CREATE TABLE gh_pending_authorizations (
    id_hash    VARCHAR(64)    PRIMARY KEY,
    payload    VARCHAR(32000) NOT NULL,
    expires_at BIGINT         NOT NULL
);
CREATE INDEX gh_pending_authorizations_expiry ON gh_pending_authorizations (expires_at);

-- The login throttle: attempts reserved per key (hash of a username or an address) in a fixed window.
CREATE TABLE gh_login_attempts (
    key_hash     VARCHAR(64) PRIMARY KEY,
    window_start BIGINT      NOT NULL,
    attempts     INTEGER     NOT NULL
);
CREATE INDEX gh_login_attempts_window ON gh_login_attempts (window_start);

-- Rows taken with SELECT ... FOR UPDATE so that one node at a time does something (rotate the signing keys).
CREATE TABLE gh_locks (
    lock_name VARCHAR(64) PRIMARY KEY
);
INSERT INTO gh_locks (lock_name) VALUES ('signing-keys');

-- Secrets every node shares (the MCP requestState key), sealed under the key-encryption key like the signing keys.
CREATE TABLE gh_secrets (
    secret_name VARCHAR(64)   PRIMARY KEY,
    sealed      VARCHAR(4000) NOT NULL,
    created_at  BIGINT        NOT NULL
);
