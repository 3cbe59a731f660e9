-- Point look-ups (`ip/<address>`, `autnum/<n>`: the delegations containing one number) on an SP-GiST
-- index over the range alone. Measured on 5,069,000 delegations (PostgreSQL 15): the GiST (family, rng)
-- index of 001 touches 47-156 buffers per point query (1-9 ms), this one 14-17 (0.06-0.4 ms). The family
-- is checked on the few rows found. Additive: the GiST index stays for the exclusion constraint and overlaps.
CREATE INDEX delegation_rng_spgist ON delegation USING spgist (rng);
