-- Registry core: organisations, contacts, maintainers, API keys, delegations, change feed.
-- Number ranges are stored as inclusive numrange '[start,end]' of the integer value
-- (IPv4 and IPv6 addresses as unsigned integers, AS numbers as themselves); GiST indexes
-- (btree_gist for the family column) make containment and overlap look-ups index scans.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE organisation (
  id            bigserial PRIMARY KEY,
  handle        text NOT NULL UNIQUE,
  name          text NOT NULL,
  name_local    text,                       -- name in the local script (e.g. Japanese)
  role          text NOT NULL CHECK (role IN ('iana','rir','nir','lir','associate','end-user')),
  country       text CHECK (country ~ '^[A-Z]{2}$'),
  address       text,
  parent_id     bigint REFERENCES organisation(id),  -- the registry this organisation is a member of
  registry      text,                       -- the registry whose records this organisation came from (e.g. 'apnic')
  opaque_id     text,                       -- holder id in extended statistics files
  member_since  date,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisation_name_idx ON organisation (lower(name));
CREATE INDEX organisation_role_idx ON organisation (role);

CREATE TABLE contact (
  id            bigserial PRIMARY KEY,
  handle        text NOT NULL UNIQUE,
  kind          text NOT NULL CHECK (kind IN ('person','role')),
  name          text NOT NULL,
  name_local    text,
  email         text,
  abuse_mailbox text,
  phone         text,
  fax           text,
  address       text,
  org_id        bigint REFERENCES organisation(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_name_idx ON contact (lower(name));
CREATE INDEX contact_org_idx ON contact (org_id);

CREATE TABLE maintainer (
  id            bigserial PRIMARY KEY,
  handle        text NOT NULL UNIQUE,
  org_id        bigint REFERENCES organisation(id),
  description   text,
  password_hash text,                       -- bcrypt; never the password itself
  admin_c       text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_key (
  id            bigserial PRIMARY KEY,
  key_id        text NOT NULL UNIQUE,       -- public part shown to the user, e.g. 'nrk_ab12cd34'
  secret_hash   text NOT NULL,              -- sha-256 of the secret part (high-entropy, so no slow hash needed)
  org_id        bigint REFERENCES organisation(id),
  maintainer_id bigint REFERENCES maintainer(id),
  scopes        text[] NOT NULL,            -- e.g. {registry:write, rpki:write, irr:write, rdap:legitimate-interest, staff}
  label         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);

CREATE TABLE policy_decision (
  id            bigserial PRIMARY KEY,
  request       jsonb NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('approve','deny','waitlist')),
  reasons       jsonb NOT NULL,             -- [{policy, proposal, reason}]
  decided_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE delegation (
  id            bigserial PRIMARY KEY,
  family        text NOT NULL CHECK (family IN ('ipv4','ipv6','asn')),
  rng           numrange NOT NULL,
  parent_id     bigint REFERENCES delegation(id),
  holder_id     bigint NOT NULL REFERENCES organisation(id),
  status        text NOT NULL CHECK (status IN ('allocated','assigned','sub-allocated','reserved','available','legacy')),
  registry      text NOT NULL,              -- registry that made the delegation, as in statistics files ('iana','apnic','jpnic',...)
  country       text CHECK (country IS NULL OR country ~ '^[A-Z]{2}$'),
  net_name      text,
  description   text,
  delegated_on  date,
  admin_c       text[] NOT NULL DEFAULT '{}',
  tech_c        text[] NOT NULL DEFAULT '{}',
  abuse_c       text,
  mnt_by        text[] NOT NULL DEFAULT '{}',
  mnt_lower     text[] NOT NULL DEFAULT '{}',
  mnt_routes    text[] NOT NULL DEFAULT '{}',
  decision_id   bigint REFERENCES policy_decision(id),
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (lower(rng) <= upper(rng)),
  -- Siblings never overlap (top-level delegations are siblings of each other).
  CONSTRAINT delegation_siblings_disjoint
    EXCLUDE USING gist (family WITH =, (coalesce(parent_id, 0)) WITH =, rng WITH &&)
);
CREATE INDEX delegation_rng_idx ON delegation USING gist (family, rng);
CREATE INDEX delegation_parent_idx ON delegation (parent_id);
CREATE INDEX delegation_holder_idx ON delegation (holder_id);
CREATE INDEX delegation_net_name_idx ON delegation (lower(net_name));

-- Every change to every object, in one totally ordered feed. `serial` is gapless and grows in
-- commit order (writers take the feed_state row lock), so NRTM, RTR and RRDP can follow it.
CREATE TABLE feed_state (
  id      integer PRIMARY KEY CHECK (id = 1),
  serial  bigint NOT NULL
);
INSERT INTO feed_state (id, serial) VALUES (1, 0);

CREATE TABLE change (
  serial        bigint PRIMARY KEY,
  object_type   text NOT NULL,              -- 'delegation','organisation','contact','maintainer','route',...
  object_key    text NOT NULL,              -- primary key of the object as text
  action        text NOT NULL CHECK (action IN ('create','modify','delete')),
  version       integer NOT NULL,           -- version of the object after (or, for delete, before) this change
  actor         text NOT NULL,              -- who: 'org:ORG-X', 'staff:alice', 'system', 'key:nrk_...'
  reason        text,                       -- why
  at            timestamptz NOT NULL DEFAULT now(),
  before        jsonb,
  after         jsonb
);
CREATE INDEX change_object_idx ON change (object_type, object_key, serial);
CREATE INDEX change_at_idx ON change (at);

CREATE TABLE resource_request (
  id            bigserial PRIMARY KEY,
  org_id        bigint NOT NULL REFERENCES organisation(id),
  family        text NOT NULL CHECK (family IN ('ipv4','ipv6','asn')),
  prefix_length integer,
  asn_count     integer,
  purpose       text,
  is_ixp        boolean NOT NULL DEFAULT false,
  status        text NOT NULL CHECK (status IN ('pending','approved','denied','waitlisted','fulfilled','withdrawn')),
  decision_id   bigint REFERENCES policy_decision(id),
  delegation_id bigint REFERENCES delegation(id),
  staff_comment text,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  decided_at    timestamptz
);

CREATE TABLE waiting_list (
  id            bigserial PRIMARY KEY,
  org_id        bigint NOT NULL REFERENCES organisation(id),
  request_id    bigint REFERENCES resource_request(id),
  prefix_length integer NOT NULL,
  queued_at     timestamptz NOT NULL DEFAULT now(),
  fulfilled_at  timestamptz,
  delegation_id bigint REFERENCES delegation(id)
);

CREATE TABLE transfer (
  id              bigserial PRIMARY KEY,
  delegation_id   bigint NOT NULL REFERENCES delegation(id),
  from_org_id     bigint NOT NULL REFERENCES organisation(id),
  to_org_id       bigint NOT NULL REFERENCES organisation(id),
  status          text NOT NULL CHECK (status IN ('proposed','completed','cancelled')),
  from_approved_by text NOT NULL,
  from_approved_at timestamptz NOT NULL DEFAULT now(),
  to_approved_by   text,
  to_approved_at   timestamptz,
  completed_at     timestamptz,
  reason           text
);
