-- Conventions to renew: signed conventions whose renewal date falls before $as_of plus $months
-- months (those already past are overdue), between associations present in the period in the
-- DISP / région / type filters (either of the two).
-- Parameters: $year_from, $year_to, $disps, $regions, $types, $as_of, $months.
WITH present AS (
    SELECT association_id
    FROM associations_present($year_from, $year_to, $disps, $regions, $types)
)
SELECT p.partnership_id, a.name AS association, b.name AS partner, p.purpose,
       p.convention_signed_on, p.convention_renewal_on,
       p.convention_renewal_on < $as_of::DATE AS overdue
FROM association_partnership AS p
JOIN association AS a ON a.association_id = p.association_id
JOIN association AS b ON b.association_id = p.partner_id
WHERE p.has_convention
  AND p.convention_renewal_on < $as_of::DATE + to_months($months::INTEGER)
  AND (p.association_id IN (SELECT association_id FROM present)
       OR p.partner_id IN (SELECT association_id FROM present))
ORDER BY p.convention_renewal_on, p.partnership_id
