-- Network annual report: conventions signed in $year and the year before, conventions that
-- reached their end that year (institution conventions: valid_to in the year; those lapsed, i.e.
-- ended without renewal, counted apart) and conventions due in the 12 months after the year
-- (renewal date in the next year), between two associations (association_partnership) and with
-- institutions and funders (institution_convention). Associations present that year in the DISP /
-- région / type filters (either partner; for a collective, one of its members); with a DISP
-- filter, institutions of another DISP are left out. Conventions between associations record a
-- renewal date but no end and no state: they count in signed and due only.
-- Parameters: $year, $disps, $regions, $departements, $modes, $types.
WITH years AS (
    SELECT unnest([$year::INTEGER - 1, $year::INTEGER]) AS year
),
present AS (
    SELECT y.year, p.association_id
    FROM years AS y, associations_present(y.year, y.year, $disps, $regions, $departements, $modes,
                                          $types) AS p
),
-- a partnership counts in a year where either partner is present: two joins and a UNION (an OR
-- of two IN tests joined every row against both; 27 -> 19 ms p50 here)
partnership_years AS (
    SELECT r.year, p.partnership_id
    FROM association_partnership AS p JOIN present AS r ON r.association_id = p.association_id
    WHERE p.has_convention
    UNION
    SELECT r.year, p.partnership_id
    FROM association_partnership AS p JOIN present AS r ON r.association_id = p.partner_id
    WHERE p.has_convention
),
-- a convention counts in a year where its association, or a member of its collective, is present
convention_years AS (
    SELECT r.year, c.convention_id
    FROM institution_convention AS c JOIN present AS r ON r.association_id = c.association_id
    UNION
    SELECT r.year, c.convention_id
    FROM institution_convention AS c
    JOIN collective_member AS m ON m.collective_id = c.collective_id
    JOIN present AS r ON r.association_id = m.association_id
),
between_associations AS (
    SELECT y.year,
           count(*) FILTER (year(p.convention_signed_on) = y.year) AS signed_associations,
           count(*) FILTER (year(p.convention_renewal_on) = y.year + 1) AS due_associations
    FROM partnership_years AS y
    JOIN association_partnership AS p USING (partnership_id)
    GROUP BY y.year
),
with_institutions AS (
    SELECT y.year,
           count(*) FILTER (year(c.signed_on) = y.year) AS signed_institutions,
           count(*) FILTER (year(c.valid_to) = y.year) AS expired,
           count(*) FILTER (year(c.valid_to) = y.year AND c.renewal_state = 'lapsed') AS lapsed,
           count(*) FILTER (year(c.renewal_on) = y.year + 1) AS due_institutions
    FROM convention_years AS y
    JOIN institution_convention AS c USING (convention_id)
    JOIN institution AS i ON i.institution_id = c.institution_id
    WHERE len($disps) = 0 OR i.disp IS NULL OR list_contains($disps::VARCHAR[], i.disp)
    GROUP BY y.year
)
SELECT
    y.year,
    coalesce(b.signed_associations, 0) AS signed_associations,
    coalesce(w.signed_institutions, 0) AS signed_institutions,
    coalesce(w.expired, 0) AS expired,
    coalesce(w.lapsed, 0) AS lapsed,
    coalesce(b.due_associations, 0) AS due_associations,
    coalesce(w.due_institutions, 0) AS due_institutions
FROM years AS y
LEFT JOIN between_associations AS b USING (year)
LEFT JOIN with_institutions AS w USING (year)
ORDER BY y.year
