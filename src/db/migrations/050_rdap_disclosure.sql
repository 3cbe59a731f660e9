-- Disclosure log of tiered access (RDAP, and WHOIS when it grows the same tier): every answer that
-- showed a natural person's data to an authenticated requester with a legitimate-interest key.
-- Who (key id and its organisation), what (request and the person handles disclosed), when, why
-- (the stated purpose) and from where (client address). Append-only; staff read it.
CREATE TABLE disclosure_log (
  id            bigserial PRIMARY KEY,
  service       text NOT NULL DEFAULT 'rdap' CHECK (service IN ('rdap','whois')),
  key_id        text NOT NULL,
  org_handle    text,
  object_type   text NOT NULL,              -- 'ip network','autnum','entity','search'
  object_key    text NOT NULL,              -- handle of the object asked for, or the search query
  request       text NOT NULL,              -- path and query string as received
  disclosed     text[] NOT NULL DEFAULT '{}', -- handles of the persons whose data was shown
  purpose       text NOT NULL,
  client_ip     text,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX disclosure_log_at_idx ON disclosure_log (at);
CREATE INDEX disclosure_log_key_idx ON disclosure_log (key_id, at);
CREATE INDEX disclosure_log_object_idx ON disclosure_log (object_key);
