-- Issue 18: federated login. Portable between H2 and PostgreSQL like V1: instants are epoch milliseconds; state,
-- binding cookies and session ids are stored only as SHA-256 hashes; the provider's tokens only sealed under the
-- key-encryption key (compact JWE).

-- Sign-ins sent to the upstream provider, by the hash of their state; capped by the server (anyone can start one).
CREATE TABLE gh_upstream_states (
    state_hash   VARCHAR(64) PRIMARY KEY,
    binding_hash VARCHAR(64) NOT NULL,
    pending_hash VARCHAR(64) NOT NULL,
    expires_at   BIGINT      NOT NULL
);
CREATE INDEX gh_upstream_states_expiry ON gh_upstream_states (expires_at);

-- Users signed in at the provider: who (the provider's sub), their roles and the scopes those grant, and the
-- provider's refresh and ID tokens (sealed), with when the provider last confirmed the login.
CREATE TABLE gh_upstream_logins (
    login_id       VARCHAR(64)    PRIMARY KEY,
    subject        VARCHAR(200)   NOT NULL,
    username       VARCHAR(200)   NOT NULL,
    roles          VARCHAR(4000)  NOT NULL,
    scopes         VARCHAR(4000)  NOT NULL,
    refresh_token  VARCHAR(16000),
    id_token       VARCHAR(16000),
    checked_at     BIGINT         NOT NULL,
    expires_at     BIGINT         NOT NULL
);
CREATE INDEX gh_upstream_logins_expiry ON gh_upstream_logins (expires_at);

-- What is bound to a login: browser sessions ('s:' and the hash of the session id) and token families ('f:' and
-- the family id).
CREATE TABLE gh_upstream_links (
    link_key   VARCHAR(100) PRIMARY KEY,
    login_id   VARCHAR(64)  NOT NULL,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX gh_upstream_links_login ON gh_upstream_links (login_id);

-- A federated user's families are found by subject (the provider's sub), which differs from the display name.
CREATE INDEX gh_refresh_tokens_subject_client ON gh_refresh_tokens (subject, client_id);
CREATE INDEX gh_codes_subject_client ON gh_codes (subject, client_id);
