-- Network annual report's highlights: in $year, the conventions with institutions that ended
-- without renewal (lapsed, valid_to in the year), the partnerships made and lost, and the joint
-- actions of the national prison days (theme prison_days), with the names they carry; the same
-- scope as the report's other queries (associations present in the year in the DISP / région /
-- type filters, either partner; actions held in an establishment in scope).
-- Parameters: $year, $disps, $regions, $departements, $modes, $types.
WITH present AS (
    SELECT association_id FROM associations_present($year, $year, $disps, $regions, $departements,
                                                    $modes, $types)
)
SELECT 'lapsed' AS event, c.convention_id AS id, coalesce(a.name, k.name) AS name,
       i.name AS other, c.valid_to AS event_date
FROM institution_convention AS c
JOIN institution AS i ON i.institution_id = c.institution_id
LEFT JOIN association AS a ON a.association_id = c.association_id
LEFT JOIN association_collective AS k ON k.collective_id = c.collective_id
WHERE c.renewal_state = 'lapsed' AND year(c.valid_to) = $year
  AND (c.association_id IN (FROM present)
       OR c.collective_id IN (SELECT m.collective_id FROM collective_member AS m
                              WHERE m.association_id IN (FROM present)))
  AND (len($disps) = 0 OR i.disp IS NULL OR list_contains($disps::VARCHAR[], i.disp))
UNION ALL
SELECT CASE WHEN p.since_year = $year THEN 'made' ELSE 'lost' END, p.partnership_id, a.name,
       b.name, NULL::DATE
FROM association_partnership AS p
JOIN association AS a ON a.association_id = p.association_id
JOIN association AS b ON b.association_id = p.partner_id
WHERE (p.since_year = $year OR p.ended_year = $year)
  AND (p.association_id IN (FROM present) OR p.partner_id IN (FROM present))
UNION ALL
SELECT 'prison_days', j.action_id, j.title, NULL, j.action_date
FROM joint_action AS j
WHERE j.theme = 'prison_days' AND year(j.action_date) = $year
  AND j.action_id IN (SELECT x.action_id FROM joint_action_establishment AS x
                      JOIN establishment_in_scope($disps, $regions, $departements, $modes,
                                                  $types) AS e
                        USING (establishment_id))
ORDER BY 1, 2
