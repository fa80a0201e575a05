-- Partnerships without a signed convention, between associations present in the period in the
-- DISP / région / type filters (either of the two), oldest first.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types.
WITH present AS (
    SELECT association_id
    FROM associations_present($year_from, $year_to, $disps, $regions, $departements, $modes, $types)
)
SELECT p.partnership_id, a.name AS association, b.name AS partner, p.purpose, p.since_year
FROM association_partnership AS p
JOIN association AS a ON a.association_id = p.association_id
JOIN association AS b ON b.association_id = p.partner_id
WHERE NOT p.has_convention
  AND p.since_year <= $year_to
  AND (p.association_id IN (SELECT association_id FROM present)
       OR p.partner_id IN (SELECT association_id FROM present))
ORDER BY p.since_year, p.partnership_id
