-- Indexes for RDAP searches (RFC 9082 partial matches, RFC 9536 reverse search). Additive only.
-- Partial matches ("EXAMPLE*") become LIKE 'example%', which a plain btree serves only under the C
-- collation; text_pattern_ops makes the prefix scan independent of the database collation.
CREATE INDEX delegation_net_name_pattern_idx ON delegation (lower(net_name) text_pattern_ops);
CREATE INDEX organisation_name_pattern_idx ON organisation (lower(name) text_pattern_ops);
CREATE INDEX organisation_handle_pattern_idx ON organisation (handle text_pattern_ops);
CREATE INDEX contact_name_pattern_idx ON contact (lower(name) text_pattern_ops);
CREATE INDEX contact_handle_pattern_idx ON contact (handle text_pattern_ops);
CREATE INDEX contact_email_idx ON contact (lower(email) text_pattern_ops);
-- Reverse search: networks whose admin-c / tech-c / abuse-c name a contact.
CREATE INDEX delegation_admin_c_gin ON delegation USING gin (admin_c);
CREATE INDEX delegation_tech_c_gin ON delegation USING gin (tech_c);
CREATE INDEX delegation_abuse_c_idx ON delegation (abuse_c);
