-- Network annual report: what the associations did in $year and the year before, at the
-- establishments of the DISP / région / type filters (association_intervention): volunteers and
-- staff (one count per association and establishment), hours of presence, people reached, by
-- where the association works (its setting: inside, after_release or both), and establishments
-- where at least one association intervenes.
-- Parameters: $year, $disps, $regions, $departements, $modes, $types.
WITH done AS (
    SELECT i.year, i.establishment_id, i.volunteers, i.hours, i.people_reached, a.setting
    FROM association_intervention AS i
    JOIN association AS a USING (association_id)
    JOIN establishment_in_scope($disps, $regions, $departements, $modes,
                                $types) AS e USING (establishment_id)
    WHERE i.year BETWEEN $year - 1 AND $year
)
SELECT
    y.year,
    count(DISTINCT d.establishment_id) AS establishments_covered,
    coalesce(sum(d.volunteers), 0)::BIGINT AS volunteers,
    coalesce(sum(d.hours), 0)::BIGINT AS volunteer_hours,
    coalesce(sum(d.people_reached), 0)::BIGINT AS people_reached,
    coalesce(sum(d.people_reached) FILTER (d.setting = 'inside'), 0)::BIGINT AS reached_inside,
    coalesce(sum(d.people_reached) FILTER (d.setting = 'after_release'), 0)::BIGINT
        AS reached_after_release,
    coalesce(sum(d.people_reached) FILTER (d.setting = 'both'), 0)::BIGINT AS reached_both,
    count(d.year) AS interventions
FROM (SELECT unnest([$year::INTEGER - 1, $year::INTEGER]) AS year) AS y
LEFT JOIN done AS d USING (year)
GROUP BY y.year
ORDER BY y.year
