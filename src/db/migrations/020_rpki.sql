-- RPKI: the ROAs and ASPAs LIRs ask numreg's hosted CA to issue. The CA's own state (keys sealed with
-- AES-256-GCM, issued objects, serials) lives in <NUMREG_DATA_DIR>/rpki/, next to the published repository,
-- so the repository and the CA that signed it move together; these tables are the registry's intent.
CREATE TABLE roa (
  id          bigserial PRIMARY KEY,
  org_id      bigint NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
  prefix      cidr NOT NULL,
  max_length  smallint NOT NULL,
  asn         bigint NOT NULL CHECK (asn BETWEEN 0 AND 4294967295),
  comment     text,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (max_length >= masklen(prefix) AND max_length <= CASE WHEN family(prefix) = 4 THEN 32 ELSE 128 END),
  UNIQUE (org_id, prefix, max_length, asn)
);
CREATE INDEX roa_org_idx ON roa (org_id);

CREATE TABLE aspa (
  id            bigserial PRIMARY KEY,
  org_id        bigint NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
  customer_asn  bigint NOT NULL CHECK (customer_asn BETWEEN 0 AND 4294967295),
  providers     bigint[] NOT NULL CHECK (cardinality(providers) > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, customer_asn)
);
