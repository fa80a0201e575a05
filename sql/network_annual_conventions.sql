-- Network annual report: conventions signed in $year and the year before, conventions that
-- reached their end that year (institution conventions: valid_to in the year; those lapsed, i.e.
-- ended without renewal, counted apart) and conventions due in the 12 months after the year
-- (renewal date in the next year), between two associations (association_partnership) and with
-- institutions and funders (institution_convention). Associations present that year in the DISP /
-- région / type filters (either partner; for a collective, one of its members); with a DISP
-- filter, institutions of another DISP are left out. Conventions between associations record no
-- end and no state: they count in signed and due only.
-- Parameters: $year, $disps, $regions, $departements, $modes, $types.
WITH years AS (
    SELECT unnest([$year::INTEGER - 1, $year::INTEGER]) AS year
),
present AS (
    SELECT y.year, p.association_id
    FROM years AS y, associations_present(y.year, y.year, $disps, $regions, $departements, $modes,
                                          $types) AS p
),
between_associations AS (
    SELECT y.year, p.partnership_id,
           year(p.convention_signed_on) AS signed_year,
           year(p.convention_renewal_on) AS renewal_year
    FROM years AS y
    JOIN association_partnership AS p
      ON p.association_id IN (SELECT association_id FROM present AS r WHERE r.year = y.year)
      OR p.partner_id IN (SELECT association_id FROM present AS r WHERE r.year = y.year)
    WHERE p.has_convention
),
with_institutions AS (
    SELECT y.year, c.convention_id,
           year(c.signed_on) AS signed_year,
           year(c.valid_to) AS end_year,
           year(c.renewal_on) AS renewal_year,
           c.renewal_state
    FROM years AS y
    JOIN institution_convention AS c
      ON c.association_id IN (SELECT association_id FROM present AS r WHERE r.year = y.year)
      OR c.collective_id IN (SELECT m.collective_id
                             FROM collective_member AS m
                             JOIN present AS r ON r.association_id = m.association_id
                             WHERE r.year = y.year)
    JOIN institution AS i ON i.institution_id = c.institution_id
    WHERE len($disps) = 0 OR i.disp IS NULL OR list_contains($disps::VARCHAR[], i.disp)
)
SELECT
    y.year,
    (SELECT count(*) FROM between_associations AS b
     WHERE b.year = y.year AND b.signed_year = y.year) AS signed_associations,
    (SELECT count(*) FROM with_institutions AS w
     WHERE w.year = y.year AND w.signed_year = y.year) AS signed_institutions,
    (SELECT count(*) FROM with_institutions AS w
     WHERE w.year = y.year AND w.end_year = y.year) AS expired,
    (SELECT count(*) FROM with_institutions AS w
     WHERE w.year = y.year AND w.end_year = y.year AND w.renewal_state = 'lapsed') AS lapsed,
    (SELECT count(*) FROM between_associations AS b
     WHERE b.year = y.year AND b.renewal_year = y.year + 1) AS due_associations,
    (SELECT count(*) FROM with_institutions AS w
     WHERE w.year = y.year AND w.renewal_year = y.year + 1) AS due_institutions
FROM years AS y
ORDER BY y.year
