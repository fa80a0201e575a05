-- Conventions to renew: signed conventions whose renewal date falls before $as_of plus $months
-- months (those already past are overdue), between associations present in the period in the
-- DISP / région / type filters (either of the two).
-- Parameters: $year_from, $year_to, $disps, $regions, $types, $as_of, $months.
WITH present AS (
    SELECT DISTINCT i.association_id
    FROM association_intervention AS i
    JOIN establishment AS e USING (establishment_id)
    WHERE i.year BETWEEN $year_from AND $year_to
      AND in_scope(e.disp, coalesce(e.region_code, e.departement_code), e.type_code, NULL, NULL,
                   $disps, $regions, $types, []::VARCHAR[], []::VARCHAR[])
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
