-- Continuity inside / after release per région, in the last year of the period: establishments of
-- the DISP / région / type filters, those where an association works inside prison, those where one
-- prepares or follows release, and those with both (setting 'both' counts for each side).
-- Parameters: $year_to, $disps, $regions, $departements, $modes, $types.
WITH sides AS (
    SELECT i.establishment_id,
           bool_or(a.setting IN ('inside', 'both')) AS inside,
           bool_or(a.setting IN ('after_release', 'both')) AS after_release
    FROM association_intervention AS i
    JOIN association AS a USING (association_id)
    WHERE i.year = $year_to
    GROUP BY i.establishment_id
)
SELECT
    e.region_name,
    count(*) AS establishments,
    count(*) FILTER (coalesce(s.inside, false)) AS with_inside,
    count(*) FILTER (coalesce(s.after_release, false)) AS with_after_release,
    count(*) FILTER (coalesce(s.inside AND s.after_release, false)) AS with_both
FROM establishment_in_scope($disps, $regions, $departements, $modes, $types) AS e
LEFT JOIN sides AS s USING (establishment_id)
GROUP BY e.region_name
ORDER BY with_both / count(*), e.region_name
