-- The embedded authorization server's state. Portable between H2 and PostgreSQL: instants are epoch
-- milliseconds, lists are space-separated strings, secrets and codes are stored only as SHA-256 hashes.

CREATE TABLE gh_clients (
    client_id        VARCHAR(512)  PRIMARY KEY,
    secret_hash      VARCHAR(128),
    name             VARCHAR(200)  NOT NULL,
    redirect_uris    VARCHAR(8000) NOT NULL,
    grant_types      VARCHAR(200)  NOT NULL,
    auth_method      VARCHAR(40)   NOT NULL,
    application_type VARCHAR(20)   NOT NULL,
    allowed_scopes   VARCHAR(2000) NOT NULL,
    registered_at    BIGINT        NOT NULL
);

CREATE TABLE gh_consents (
    username  VARCHAR(200)  NOT NULL,
    client_id VARCHAR(512)  NOT NULL,
    scopes    VARCHAR(2000) NOT NULL,
    PRIMARY KEY (username, client_id)
);

CREATE TABLE gh_codes (
    code_hash      VARCHAR(64)   PRIMARY KEY,
    family_id      VARCHAR(64)   NOT NULL,
    client_id      VARCHAR(512)  NOT NULL,
    subject        VARCHAR(200)  NOT NULL,
    username       VARCHAR(200)  NOT NULL,
    roles          VARCHAR(2000) NOT NULL,
    scopes         VARCHAR(2000) NOT NULL,
    resource       VARCHAR(2000) NOT NULL,
    redirect_uri   VARCHAR(2000) NOT NULL,
    code_challenge VARCHAR(128)  NOT NULL,
    expires_at     BIGINT        NOT NULL,
    used           BOOLEAN       NOT NULL
);

CREATE TABLE gh_refresh_tokens (
    token_hash VARCHAR(64)   PRIMARY KEY,
    family_id  VARCHAR(64)   NOT NULL,
    client_id  VARCHAR(512)  NOT NULL,
    subject    VARCHAR(200)  NOT NULL,
    username   VARCHAR(200)  NOT NULL,
    roles      VARCHAR(2000) NOT NULL,
    scopes     VARCHAR(2000) NOT NULL,
    resource   VARCHAR(2000) NOT NULL,
    expires_at BIGINT        NOT NULL,
    used       BOOLEAN       NOT NULL
);
CREATE INDEX gh_refresh_tokens_family ON gh_refresh_tokens (family_id);

CREATE TABLE gh_access_tokens (
    jti        VARCHAR(64) PRIMARY KEY,
    family_id  VARCHAR(64) NOT NULL,
    expires_at BIGINT      NOT NULL,
    revoked    BOOLEAN     NOT NULL
);
CREATE INDEX gh_access_tokens_family ON gh_access_tokens (family_id);

CREATE TABLE gh_revoked_families (
    family_id VARCHAR(64) PRIMARY KEY,
    until     BIGINT      NOT NULL
);

CREATE TABLE gh_signing_keys (
    kid        VARCHAR(200)   PRIMARY KEY,
    jwk        VARCHAR(16000) NOT NULL,
    created_at BIGINT         NOT NULL
);
