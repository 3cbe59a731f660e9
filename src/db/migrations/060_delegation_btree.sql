-- Registry core (after 052, which it supersedes): delegation ranges are indexed by B-tree on their bounds
-- instead of GiST/SP-GiST on the numrange. Measured on PostgreSQL 15 with 77,000 rows, the three range
-- indexes (GiST (family, rng), the GiST exclusion constraint and SP-GiST (rng)) made an insert cost ~250 µs
-- and an import 25x slower than without them; a B-tree on lower(rng) costs a few µs.
--
-- Because delegations form a tree (children inside parents, siblings disjoint), every range containing a
-- number x is an ancestor-or-self of the delegation with the greatest start <= x (ties: the smallest), so
-- point and containment look-ups are one B-tree probe plus a walk up parent_id (see registry/lookup.ts).
ALTER TABLE delegation DROP CONSTRAINT IF EXISTS delegation_siblings_disjoint;
DROP INDEX IF EXISTS delegation_rng_idx;
DROP INDEX IF EXISTS delegation_rng_spgist;

CREATE INDEX delegation_start_idx ON delegation (family, lower(rng), upper(rng) DESC);
CREATE INDEX delegation_sibling_idx ON delegation (family, coalesce(parent_id, 0), lower(rng));

-- Siblings never overlap. Replaces the exclusion constraint: a statement-level check over the rows a
-- statement wrote (its transition table), so a COPY of 100,000 delegations is checked in one pass. If any
-- two siblings overlap, two neighbours in start order overlap, and one of them is new; so it is enough to
-- look, for each new row, at siblings starting inside it and at the nearest sibling starting before it
-- (two index probes per row), or, for large statements, to compare neighbours in the groups touched.
-- Writers also take the feed_state row lock, so concurrent statements cannot both pass unseen.
CREATE FUNCTION delegation_check_siblings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  clash record;
BEGIN
  IF (SELECT count(*) FROM written) > 2000 THEN
    -- Bulk statements: one ordered pass over the sibling groups they touched, comparing neighbours.
    SELECT x.id AS a, x.family, x.rng AS a_rng, x.prev_id AS b, x.prev_rng AS b_rng INTO clash
      FROM (SELECT d.id, d.family, d.rng, lag(d.id) OVER w AS prev_id, lag(d.rng) OVER w AS prev_rng
              FROM delegation d
             WHERE (d.family, coalesce(d.parent_id, 0)) IN (SELECT DISTINCT family, coalesce(parent_id, 0) FROM written)
            WINDOW w AS (PARTITION BY d.family, coalesce(d.parent_id, 0) ORDER BY lower(d.rng), upper(d.rng) DESC)) x
     WHERE lower(x.rng) <= upper(x.prev_rng)
     LIMIT 1;
  ELSE
    -- A few rows: for each, siblings starting inside it and the nearest sibling starting before it.
    SELECT n.id AS a, n.family, n.rng AS a_rng, s.id AS b, s.rng AS b_rng INTO clash
      FROM written n
      CROSS JOIN LATERAL (
        (SELECT d.id, d.rng FROM delegation d
          WHERE d.family = n.family AND coalesce(d.parent_id, 0) = coalesce(n.parent_id, 0)
            AND lower(d.rng) >= lower(n.rng) AND lower(d.rng) <= upper(n.rng) AND d.id <> n.id
          LIMIT 1)
        UNION ALL
        (SELECT d.id, d.rng FROM delegation d
          WHERE d.family = n.family AND coalesce(d.parent_id, 0) = coalesce(n.parent_id, 0)
            AND lower(d.rng) < lower(n.rng)
          ORDER BY lower(d.rng) DESC LIMIT 1)
      ) s
     WHERE upper(s.rng) >= lower(n.rng)
     LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION 'delegation % % % overlaps its sibling % %', clash.a, clash.family, clash.a_rng, clash.b, clash.b_rng
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'delegation_siblings_disjoint';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER delegation_siblings_disjoint_insert AFTER INSERT ON delegation
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION delegation_check_siblings();
CREATE TRIGGER delegation_siblings_disjoint_update AFTER UPDATE ON delegation
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION delegation_check_siblings();
