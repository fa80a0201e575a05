-- Hand-over pack, its partners: the partner associations of the association of the local group
-- $group_id (or of the local groups of the DISP $disp) in $year (partnership started by then and
-- not ended, ended_year after $year or empty), with the partner's organisational contacts
-- (shared mailbox, switchboard, address). One row per partnership and partner.
-- Parameters: $group_id (or NULL), $disp (or NULL), $year.
WITH chosen AS (
    SELECT DISTINCT association_id
    FROM local_group
    WHERE local_group_id = $group_id OR disp = $disp
),
sides AS (  -- a partnership seen from each of its two associations
    SELECT partnership_id, association_id AS own_id, partner_id AS other_id
    FROM association_partnership
    UNION ALL
    SELECT partnership_id, partner_id, association_id FROM association_partnership
),
current AS (
    SELECT s.partnership_id, s.own_id, s.other_id, p.purpose, p.since_year, p.has_convention,
           p.provenance
    FROM sides AS s
    JOIN chosen AS c ON c.association_id = s.own_id
    JOIN association_partnership AS p USING (partnership_id)
    WHERE p.since_year <= $year AND (p.ended_year IS NULL OR p.ended_year > $year)
)
SELECT r.partnership_id, own.name AS association, r.other_id AS partner_id, other.name AS partner,
       other.field_id, r.purpose, r.since_year, r.has_convention, other.email, other.phone,
       other.address, other.postal_code, other.city,
       -- 'illustrative' < 'modeled' < 'real': the least certain of the partnership and contact
       least(r.provenance, other.provenance) AS provenance
FROM current AS r
JOIN association AS own ON own.association_id = r.own_id
JOIN association AS other ON other.association_id = r.other_id
ORDER BY other.name, r.partnership_id
