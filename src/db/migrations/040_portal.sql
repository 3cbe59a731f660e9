-- Web portal accounts and sessions. Passwords are bcrypt hashes; session ids are stored only as their
-- SHA-256 digest, so a copy of this table does not let anyone take over a session.
CREATE TABLE portal_user (
  id            bigserial PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  password_hash text NOT NULL,
  org_id        bigint NOT NULL REFERENCES organisation(id),
  role          text NOT NULL CHECK (role IN ('member','staff')),
  display_name  text,
  totp_secret   text,                      -- base32 RFC 6238 secret once enabled
  totp_pending  text,                      -- secret offered for enrolment, confirmed with a code
  totp_last_step bigint,                   -- last accepted time step (a code is never accepted twice)
  lang          text CHECK (lang IS NULL OR lang IN ('en','ja')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);
CREATE INDEX portal_user_org_idx ON portal_user (org_id);

-- user_id is NULL for an anonymous session (it carries the CSRF token of the sign-in form).
CREATE TABLE portal_session (
  id_hash       text PRIMARY KEY,
  user_id       bigint REFERENCES portal_user(id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX portal_session_expires_idx ON portal_session (expires_at);
CREATE INDEX portal_session_user_idx ON portal_session (user_id);

-- Every time the portal shows personal data of a natural person unredacted (staff look-ups).
CREATE TABLE portal_disclosure (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  viewer        text NOT NULL,             -- 'staff:alice', 'user:bob'
  contact_handle text NOT NULL,
  query         text,
  purpose       text
);
CREATE INDEX portal_disclosure_at_idx ON portal_disclosure (at);
