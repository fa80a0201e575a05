-- Network annual report: partnerships between associations made in $year and the year before
-- (since_year), lost (ended_year) and in force at the end of the year, where either partner is
-- present that year in the DISP / région / type filters.
-- Parameters: $year, $disps, $regions, $departements, $modes, $types.
WITH years AS (
    SELECT unnest([$year::INTEGER - 1, $year::INTEGER]) AS year
),
kept AS (
    SELECT y.year, p.partnership_id, p.since_year, p.ended_year
    FROM years AS y
    JOIN association_partnership AS p
      ON p.association_id IN (SELECT association_id
                              FROM associations_present(y.year, y.year, $disps, $regions,
                                                       $departements, $modes, $types))
      OR p.partner_id IN (SELECT association_id
                          FROM associations_present(y.year, y.year, $disps, $regions, $departements,
                                                    $modes, $types))
)
SELECT
    y.year,
    count(k.partnership_id) FILTER (k.since_year = y.year) AS partnerships_made,
    count(k.partnership_id) FILTER (k.ended_year = y.year) AS partnerships_lost,
    count(k.partnership_id) FILTER (k.since_year <= y.year
                                    AND (k.ended_year IS NULL OR k.ended_year > y.year))
        AS partnerships_active
FROM years AS y
LEFT JOIN kept AS k USING (year)
GROUP BY y.year
ORDER BY y.year
