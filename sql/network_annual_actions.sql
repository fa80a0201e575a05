-- Network annual report: joint actions held in $year and the year before in at least one
-- establishment of the DISP / région / type filters, those of the national prison days
-- (theme prison_days, the last week of November) apart, and the associations taking part.
-- Parameters: $year, $disps, $regions, $departements, $modes, $types.
WITH held AS (
    SELECT j.action_id, year(j.action_date) AS year, j.theme
    FROM joint_action AS j
    WHERE year(j.action_date) BETWEEN $year - 1 AND $year
      AND j.action_id IN (SELECT x.action_id
                          FROM joint_action_establishment AS x
                          JOIN establishment_in_scope($disps, $regions, $departements, $modes,
                                                      $types) AS e
                            USING (establishment_id))
)
SELECT
    y.year,
    count(h.action_id) AS joint_actions,
    count(h.action_id) FILTER (h.theme = 'prison_days') AS prison_days_actions,
    (SELECT count(DISTINCT p.association_id) FROM joint_action_partner AS p
     JOIN held AS g USING (action_id) WHERE g.year = y.year) AS action_partners
FROM (SELECT unnest([$year::INTEGER - 1, $year::INTEGER]) AS year) AS y
LEFT JOIN held AS h USING (year)
GROUP BY y.year
ORDER BY y.year
