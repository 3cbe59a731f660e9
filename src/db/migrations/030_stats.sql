-- Statistics: a registry's delegations in the order of the RIR statistics exchange format (asn, ipv4, ipv6 by
-- start), so exporting a million delegations is one ordered index scan through a cursor instead of a sort.
CREATE INDEX delegation_registry_order_idx ON delegation (registry, family, lower(rng));
