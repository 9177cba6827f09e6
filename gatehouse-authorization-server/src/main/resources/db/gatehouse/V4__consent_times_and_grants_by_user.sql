-- Issue 15: the account page lists a user's consents with when they were last given (0 = before this version),
-- and revoking one revokes that user's token families for that client, found by user and client.
ALTER TABLE gh_consents ADD COLUMN granted_at BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX gh_refresh_tokens_user_client ON gh_refresh_tokens (username, client_id);
CREATE INDEX gh_codes_user_client ON gh_codes (username, client_id);
