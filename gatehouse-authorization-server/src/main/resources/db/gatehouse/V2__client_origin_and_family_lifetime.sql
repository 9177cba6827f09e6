-- Issue 10: where each client came from and whether it may introspect; when each token family started (its
-- refresh tokens end refresh-token-max-lifetime later); whether an authorization request named its redirect_uri.
-- Portable between H2 and PostgreSQL, like V1.

-- Clients stored before this version registered themselves as far as anyone can tell now: they keep working
-- for users, but lose client_credentials until registered again with the initial access token (or configured).
-- Configured clients are written again, with their origin, at every start.
ALTER TABLE gh_clients ADD COLUMN origin VARCHAR(40) DEFAULT 'self-registered' NOT NULL;
ALTER TABLE gh_clients ADD COLUMN introspection BOOLEAN DEFAULT FALSE NOT NULL;
-- An empty allowed_scopes used to mean "any scope"; empty now means none, and "any" is spelled *.
UPDATE gh_clients SET allowed_scopes = '*' WHERE allowed_scopes = '';

-- A code lives a minute: its family started about then.
ALTER TABLE gh_codes ADD COLUMN family_started_at BIGINT DEFAULT 0 NOT NULL;
UPDATE gh_codes SET family_started_at = expires_at - 60000;
ALTER TABLE gh_codes ADD COLUMN redirect_uri_in_request BOOLEAN DEFAULT TRUE NOT NULL;

-- A refresh token stored before this version: its family is taken to have started when it was issued, assuming
-- the default refresh-token-ttl of 30 days (the family's real start is not known).
ALTER TABLE gh_refresh_tokens ADD COLUMN family_started_at BIGINT DEFAULT 0 NOT NULL;
UPDATE gh_refresh_tokens SET family_started_at = expires_at - 2592000000;
