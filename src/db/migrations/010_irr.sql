-- IRR: RPSL objects of every source (numreg's own, NUMREG_IRR_SOURCE, and read-only mirrors).
-- History lives in the registry's `change` feed (object_type 'rpsl:<class>', object_key '<SOURCE>:<pkey>').
CREATE TABLE rpsl_object (
  id           bigserial PRIMARY KEY,
  source       text NOT NULL,
  class        text NOT NULL,
  pkey         text NOT NULL,               -- upper-cased primary key; route/route6: prefix || origin
  text         text NOT NULL,               -- the object as stored, RPSL
  attrs        jsonb NOT NULL,              -- {"attribute": ["cleaned value", ...]}
  lookup       text[] NOT NULL DEFAULT '{}',-- 'ATTR=VALUE' (upper-cased) of every lookup/reference attribute, for inverse queries
  family       text CHECK (family IN ('ipv4','ipv6')),
  prefix       cidr,                        -- route/route6 (SP-GiST: builds ~25x faster than GiST on numrange)
  prefix_len   smallint,
  origin       bigint,
  members      text[],                      -- sets: members + mp-members, upper-cased
  member_of    text[],
  mnt_by       text[] NOT NULL DEFAULT '{}',
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, class, pkey)
);
CREATE INDEX rpsl_object_prefix_idx ON rpsl_object USING spgist (prefix) WHERE prefix IS NOT NULL;
CREATE INDEX rpsl_object_origin_idx ON rpsl_object (origin) WHERE origin IS NOT NULL;
CREATE INDEX rpsl_object_members_idx ON rpsl_object USING gin (members) WHERE members IS NOT NULL;
CREATE INDEX rpsl_object_member_of_idx ON rpsl_object USING gin (member_of) WHERE member_of IS NOT NULL;
CREATE INDEX rpsl_object_lookup_idx ON rpsl_object USING gin (lookup);
CREATE INDEX rpsl_object_pkey_idx ON rpsl_object (pkey);

-- Sources this server knows: its own (authoritative) and mirrors (read-only, fed by import or NRTM).
CREATE TABLE irr_source (
  name         text PRIMARY KEY,
  authoritative boolean NOT NULL DEFAULT false,
  nrtm_host    text,
  nrtm_port    integer,
  serial       bigint,                      -- mirrors: last NRTM serial applied
  updated_at   timestamptz NOT NULL DEFAULT now()
);
